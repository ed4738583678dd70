// Package redact removes credentials from headers, URLs and strings before
// they reach a log, a report or a result file.
package redact

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Mask replaces a secret.
const Mask = "REDACTED"

var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
	"X-Api-Key":           true,
}

// Header returns a copy of h with credential-bearing values masked.
func Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if secretHeaders[http.CanonicalHeaderKey(k)] {
			masked := make([]string, len(vs))
			for i, v := range vs {
				masked[i] = maskAuth(v)
			}
			out[k] = masked
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// maskAuth keeps the scheme ("Basic") so a reader still sees which kind of
// credential was sent.
func maskAuth(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok && scheme != "" {
		return scheme + " " + Mask
	}
	return Mask
}

// URL masks the password of one URL-ish value, a flag value say, whether
// or not it parses: "https://u:p@h" and "htps://u:p@h" alike become
// "…u:REDACTED@h", as do "//u:p@h", "u:p@h:port/path", "u%3Ap@h" and a
// password holding spaces, '@', '/' or ':'. The whole of raw is taken as
// one value (see userinfo for how the password is found).
func URL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Mask)
			raw = strings.Replace(u.String(), url.QueryEscape(Mask), Mask, 1)
		}
	}
	return basicRe.ReplaceAllString(userinfo(raw), "${1} "+Mask)
}

var basicRe = regexp.MustCompile(`(?i)\b(basic|bearer)\s+[A-Za-z0-9+/=._~-]{6,}`)

// String masks URL passwords and Basic/Bearer credentials anywhere in s, a
// message that may quote URL-ish values. s is cut into words at white
// space; a double-quoted string (as %q writes it) is one word, spaces and
// all, so a quoted value is masked as URL masks it. A password in
// unquoted text that holds white space cannot be told from the words
// around it: quote values that may hold one.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		switch {
		case isSpace(s[i]):
			b.WriteByte(s[i])
			i++
		case s[i] == '"' && opensQuote(s, i):
			end := closingQuote(s, i)
			b.WriteString(`"` + userinfo(s[i+1:end]) + `"`)
			i = end + 1
		default:
			end := wordEnd(s, i)
			b.WriteString(userinfo(s[i:end]))
			i = end
		}
	}
	return basicRe.ReplaceAllString(b.String(), "${1} "+Mask)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// opensQuote reports whether the '"' at i starts a quoted string: it has a
// closing quote and follows a word boundary (start, space, or one of
// "=:,([{" as in flag=, JSON and Go's %q output); a quote inside a word is
// part of it (a password may hold one).
func opensQuote(s string, i int) bool {
	if closingQuote(s, i) < 0 {
		return false
	}
	return i == 0 || isSpace(s[i-1]) || strings.IndexByte("=:,([{", s[i-1]) >= 0
}

// closingQuote returns the index of the unescaped '"' closing the quoted
// string that opens at i, or -1.
func closingQuote(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return -1
}

// wordEnd returns where the word starting at i ends: at white space or at
// a quote that opens a quoted string.
func wordEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		if isSpace(s[j]) || (s[j] == '"' && opensQuote(s, j)) {
			return j
		}
	}
	return len(s)
}

// userinfo masks the password of the userinfo-looking part of w, one
// URL-ish word (see password).
func userinfo(w string) string {
	i, j := password(w)
	if i < 0 || w[i:j] == Mask {
		return w
	}
	return w[:i] + Mask + w[j:]
}

// password returns where the password of the userinfo-looking part of w,
// one URL-ish word, starts and ends, or -1, -1. The userinfo ends at w's
// last '@' (or, when w has none, at its last "%40"); it starts after the
// first "//" before that when only a scheme comes before it ("scheme://",
// "//"), else at the start of w. Its password is what follows its first
// ':' or "%3A" (empty: none). A password with '@', '/' or ':' in it is
// thus found whole; a word with an '@' further on (in a query, say) gives
// everything from the first ':' on, more than needed but never less.
func password(w string) (int, int) {
	at := strings.LastIndexByte(w, '@')
	if at < 0 {
		at = lastIndexFold(w, "%40")
	}
	if at < 0 {
		return -1, -1
	}
	start := 0
	if i := strings.Index(w[:at], "//"); i >= 0 && !hasColon(strings.TrimSuffix(w[:i], ":")) {
		start = i + 2 // "scheme://" or "//"; a "//" after a ':' is in the password
	}
	c, width := colon(w[start:at])
	if c < 0 || start+c+width == at {
		return -1, -1 // a user name only, or an empty password
	}
	return start + c + width, at
}

// Passwords returns the password the URL-ish value raw carries, as typed
// and percent-decoded, or nil. Known masks them wherever a message repeats
// them, even where String cannot tell them from the words around them.
func Passwords(raw string) []string {
	i, j := password(raw)
	if i < 0 {
		return nil
	}
	out := []string{raw[i:j]}
	if dec, err := url.PathUnescape(raw[i:j]); err == nil && dec != raw[i:j] {
		out = append(out, dec)
	}
	return out
}

// MinKnown is the shortest secret Known masks; masking every "a" of a
// message would leave nothing to read.
const MinKnown = 3

// Known masks in s every occurrence of each secret (as given, %q-escaped
// and percent-encoded) that is at least MinKnown bytes long; the longest
// first, so one holding another is masked whole.
func Known(s string, secrets []string) string {
	secrets = slices.Clone(secrets)
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, sec := range secrets {
		if len(sec) < MinKnown || sec == Mask {
			continue
		}
		q := strconv.Quote(sec)
		for _, form := range []string{sec, q[1 : len(q)-1], url.QueryEscape(sec), url.PathEscape(sec)} {
			s = strings.ReplaceAll(s, form, Mask)
		}
	}
	return s
}

// colon returns the index and width of the first ':' or "%3A" in s, or -1.
func colon(s string) (int, int) {
	c, width := strings.IndexByte(s, ':'), 1
	if e := indexFold(s, "%3a"); e >= 0 && (c < 0 || e < c) {
		c, width = e, 3
	}
	return c, width
}

func hasColon(s string) bool {
	c, _ := colon(s)
	return c >= 0
}

// indexFold is strings.Index ignoring ASCII case; sub is lower case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if equalFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// lastIndexFold is strings.LastIndex ignoring ASCII case; sub is lower case.
func lastIndexFold(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if equalFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// equalFold compares a with lower-case b, folding ASCII letters of a only
// (byte offsets stay those of a).
func equalFold(a, b string) bool {
	for i := 0; i < len(b); i++ {
		c := a[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != b[i] {
			return false
		}
	}
	return true
}

// Error returns err with its message passed through String (nil stays
// nil); errors.Is and errors.As still see err. Wrap an error whose text
// may quote a URL-ish value (net.Listen's, url.Parse's) before it is
// printed.
func Error(err error) error {
	if err == nil {
		return nil
	}
	return redactedError{err}
}

// redactedError is an error whose message is redacted.
type redactedError struct{ err error }

func (e redactedError) Error() string { return String(e.err.Error()) }
func (e redactedError) Unwrap() error { return e.err }

// jsonSecret matches a JSON member whose name says it holds a credential
// (a webhook endpoint's "secret", a login answer's "token", "password",
// "api_key"/"apiKey", "app_secret", "access_token") and a string value.
var jsonSecret = regexp.MustCompile(`(?i)("(?:secret|password|token|access_token|app_secret|api_?key)"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// JSONSecrets masks the string values of credential members in a JSON
// text (a request or answer body kept for a report): a webhook endpoint's
// signing secret or a login token never reaches a report file.
func JSONSecrets(s string) string {
	if !strings.Contains(s, `"`) {
		return s
	}
	return jsonSecret.ReplaceAllString(s, `${1}"`+Mask+`"`)
}
