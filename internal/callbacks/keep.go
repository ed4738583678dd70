package callbacks

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// capture completes a kept event with bounded copies of what its callback
// carried: fields cut to maxFieldLen, the path, the redacted header (unless
// Lean), the body (with KeepBodies) and its first findings; e.Cut says what
// was left out.
func (r *Receiver) capture(e *Event, a *arrival) {
	e.MessageID = clip(e.MessageID, maxIDLen)
	e.Reference = clip(e.Reference, maxFieldLen)
	e.Status = clip(e.Status, maxFieldLen)
	e.Path = clip(a.path, maxFieldLen)
	if !r.opts.Lean {
		e.Header, e.Cut.HeaderBytes = keepHeader(a.h, r.opts.MaxKeptHeader)
	}
	if r.opts.KeepBodies {
		n := min(len(a.body), r.opts.MaxKeptBody)
		e.Body, e.Cut.BodyBytes = slices.Clone(a.body[:n]), len(a.body)-n
	}
	if len(e.Findings) > maxKeptFindings {
		e.Cut.Findings = len(e.Findings) - maxKeptFindings
		e.Findings = append([]validate.Finding(nil), e.Findings[:maxKeptFindings]...)
	}
}

// clip returns s cut to at most n bytes (at a rune boundary, marked with
// "…"), as a copy that does not hold on to s.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.Clone(s[:n]) + "…"
}

// keepHeader copies h (credentials redacted) up to limit bytes of names
// and values, in name order, and returns how many bytes it left out.
func keepHeader(h http.Header, limit int) (http.Header, int) {
	if len(h) == 0 {
		return nil, 0
	}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	kept := make(http.Header, min(len(h), 32))
	used, cut := 0, 0
	for _, k := range names {
		for _, v := range h[k] {
			if used+len(k)+len(v) > limit {
				cut += len(k) + len(v)
				continue
			}
			used += len(k) + len(v)
			kept[strings.Clone(k)] = append(kept[k], strings.Clone(v))
		}
	}
	return redact.Header(kept), cut
}
