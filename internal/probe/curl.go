package probe

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
)

// maxInlineBody is the longest body a curl line carries inline.
const maxInlineBody = 4 << 10

// curl renders ex's request as a curl command line. Credentials come from
// the dialect's $WABCHECK_… variables (or its fixed wrong ones), never
// from the request; a long or unprintable body is read from bodyFile.
// inline is false when the body must be written to bodyFile.
func (r *runner) curl(ex *exchange, bodyFile string) (line string, inline bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -i -X %s %s", ex.method, shellQuote(ex.url))
	switch ex.c.auth {
	case authValid:
		b.WriteString(" " + r.o.curlAuth(false))
	case authWrong:
		b.WriteString(" " + r.o.curlAuth(true))
	}
	secret := map[string]bool{}
	for _, h := range r.o.Auth.Headers() {
		secret[http.CanonicalHeaderKey(h)] = true
	}
	names := make([]string, 0, len(ex.reqHdr))
	for k := range ex.reqHdr {
		if !secret[http.CanonicalHeaderKey(k)] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range ex.reqHdr[k] {
			b.WriteString(" -H " + shellQuote(k+": "+v))
		}
	}
	inline = true
	if ex.c.hasBody || ex.c.useRaw {
		if len(ex.reqBody) <= maxInlineBody && printable(ex.reqBody) {
			b.WriteString(" --data-binary " + shellQuote(string(ex.reqBody)))
		} else {
			b.WriteString(" --data-binary @" + bodyFile)
			inline = false
		}
	}
	return redact.String(b.String()), inline
}

// printable reports whether a body can sit in a shell line as it is.
func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// readable reports whether an answer body is text to show as it is.
func readable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// answerText is an answer's status, redacted headers and truncated body.
func answerText(ex *exchange) string {
	if ex.err != nil {
		return "no answer: " + redact.String(ex.err.Error())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d %s\n", ex.status, http.StatusText(ex.status))
	h := redact.Header(ex.header)
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(h[k], ", "))
	}
	if len(ex.answer) > 0 {
		b.WriteString("\n")
		if readable(ex.answer) {
			b.WriteString(redact.JSONSecrets(report.Truncate(ex.answer)))
		} else {
			fmt.Fprintf(&b, "(%d bytes of binary data)", len(ex.answer))
		}
	}
	return b.String()
}
