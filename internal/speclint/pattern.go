package speclint

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// patternInfo is a pattern compiled in both dialects.
type patternInfo struct {
	src    string
	goRe   *regexp.Regexp
	goErr  error
	u      ecmaResult // ECMA-262 with the u flag (ajv's default)
	legacy ecmaResult // ECMA-262 without flags (new RegExp(p))
	// js matches with the ECMA meaning (u flag when valid, else legacy);
	// nil when ECMA rejects the pattern or RE2 cannot express it.
	js     *regexp.Regexp
	jsMode string
}

type patternCache struct{ m map[string]*patternInfo }

func newPatternCache() *patternCache { return &patternCache{m: map[string]*patternInfo{}} }

func (c *patternCache) get(src string) *patternInfo {
	if pi, ok := c.m[src]; ok {
		return pi
	}
	pi := &patternInfo{src: src}
	pi.goRe, pi.goErr = regexp.Compile(src)
	pi.u = parseECMA(src, true)
	pi.legacy = parseECMA(src, false)
	for _, m := range []struct {
		r    ecmaResult
		name string
	}{{pi.u, "with the u flag"}, {pi.legacy, "without flags"}} {
		if m.r.Err != nil || m.r.GoEquiv == "" {
			continue
		}
		if re, err := regexp.Compile(m.r.GoEquiv); err == nil {
			pi.js, pi.jsMode = re, m.name
			break
		}
	}
	c.m[src] = pi
	return pi
}

// checkPattern reports patterns that do not compile, that ECMA-262 and RE2
// read differently, and common authoring slips.
func (l *linter) checkPattern(n *yaml.Node, p string) {
	pn := get(n, "pattern")
	if pn == nil {
		return
	}
	pp := join(p, "pattern")
	if pn.Kind != yaml.ScalarNode || jsonType(pn) != "string" {
		l.add("pattern-invalid", Error, pp, "", "pattern must be a string, got %s", jsonType(pn))
		return
	}
	pi := l.pats.get(pn.Value)
	l.patternCompiles(pi, pp)
	for _, d := range append(pi.u.Differs, pi.legacy.Differs...) {
		sev := Info
		if strings.Contains(d, "POSIX") {
			sev = Warning
		}
		l.add("pattern-dialect-differs", sev, pp, "", "pattern %s: %s", qp(pi.src), d)
	}
	l.patternSlips(pi.src, pp)
}

func (l *linter) patternCompiles(pi *patternInfo, pp string) {
	src := pi.src
	switch {
	case pi.goErr != nil && pi.u.Err != nil:
		l.add("pattern-invalid", Error, pp, "", "pattern %s compiles neither in Go RE2 (%s) nor in ECMA-262 (%v)%s",
			qp(src), goErrText(pi.goErr), pi.u.Err, legacyNote(pi))
	case pi.u.Err != nil:
		l.add("pattern-rejected-by-ecma", Error, pp, "", "pattern %s is rejected by ECMA-262 with the u flag (ajv's default): %v%s; Go RE2 accepts it",
			qp(src), pi.u.Err, legacyNote(pi))
	case pi.goErr != nil:
		l.add("pattern-rejected-by-go", Error, pp, "", "pattern %s does not compile in Go RE2 (%s); JavaScript accepts it", qp(src), goErrText(pi.goErr))
	case pi.u.NoRE2 != "":
		l.add("pattern-rejected-by-go", Error, pp, "", "pattern %s uses %s, which Go RE2 cannot express", qp(src), pi.u.NoRE2)
	}
}

func legacyNote(pi *patternInfo) string {
	if pi.legacy.Err == nil {
		return "; a plain JavaScript RegExp without flags accepts it"
	}
	return ""
}

func goErrText(err error) string {
	s := err.Error()
	return strings.TrimPrefix(s, "error parsing regexp: ")
}

var (
	// escapedClassRe finds \[...] whose body looks like a class (a range).
	escapedClassRe = regexp.MustCompile(`\\\[([^\]\\]*[A-Za-z0-9]-[A-Za-z0-9][^\]\\]*)\]`)
	// boundedRe finds a bounded repeat {n,m} or {n}.
	boundedRe = regexp.MustCompile(`\{\d+(,\d*)?\}`)
)

// patternSlips reports authoring slips: an escaped class bracket, double
// escaping, wide accidental ranges and missing anchors.
func (l *linter) patternSlips(src, pp string) {
	if m := escapedClassRe.FindStringSubmatchIndex(src); m != nil && oddBackslashesBefore(src, m[0]+1) {
		frag := src[m[0]:m[1]]
		l.add("pattern-escaped-bracket", Warning, pp, "", "pattern %s: %s matches the literal text %s, not a character class, because the backslash escapes '['; write %s",
			qp(src), qp(frag), qp(frag[1:]), qp(frag[1:]))
	}
	if frag := doubleEscaped(src); frag != "" {
		l.add("pattern-double-escaped", Warning, pp, "", "pattern %s: %s is a literal backslash followed by %q; the pattern looks escaped twice (as for a double-quoted string) in a scalar where backslashes are literal",
			qp(src), qp(frag), frag[2:])
	}
	for _, r := range wideRanges(src) {
		l.add("pattern-wide-range", Warning, pp, "", "pattern %s: class range %q spans %d characters including %s; a literal '-' was probably meant (put it first or last in the class)",
			qp(src), string([]rune{r.lo, '-', r.hi}), r.hi-r.lo+1, rangeContents(r))
	}
	if boundedRe.MatchString(src) && (!strings.HasPrefix(src, "^") || !strings.HasSuffix(src, "$") || strings.HasSuffix(src, `\$`)) {
		l.add("pattern-unanchored", Warning, pp, "", "pattern %s has a length bound but is not anchored with ^...$; JSON Schema patterns match anywhere in the value, so the bound limits nothing", qp(src))
	}
}

// oddBackslashesBefore reports whether the backslash run ending at i-1
// (inclusive) has odd length, i.e. the char at i is escaped.
func oddBackslashesBefore(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// doubleEscaped returns the first `\\x` where an escaped backslash is
// followed by a regex metacharacter or class-escape letter.
func doubleEscaped(s string) string {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '\\' || (i > 0 && s[i-1] == '\\') {
			continue
		}
		j := i
		for j < len(s) && s[j] == '\\' {
			j++
		}
		if run := j - i; run >= 2 && run%2 == 0 && j < len(s) && strings.IndexByte(`dDwWsS.[({+*?`, s[j]) >= 0 {
			return s[j-2 : j+1]
		}
		i = j - 1
	}
	return ""
}

// wideRanges finds class ranges between punctuation/space characters that
// also cover letters or digits, like ' -_'.
func wideRanges(src string) []rng {
	var out []rng
	rs := []rune(src)
	inClass := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\\':
			i++
			continue
		case c == '[' && !inClass:
			inClass = true
			continue
		case c == ']' && inClass:
			inClass = false
			continue
		}
		if !inClass || i+2 >= len(rs) || rs[i+1] != '-' || rs[i+2] == ']' || rs[i+2] == '\\' {
			continue
		}
		r := rng{c, rs[i+2]}
		if suspiciousRange(r) {
			out = append(out, r)
		}
		i += 2
	}
	return out
}

func suspiciousRange(r rng) bool {
	if r.lo >= r.hi || r.hi > 0x7e || r.lo < 0x20 {
		return false
	}
	if (r.lo == ' ' || r.lo == '!') && r.hi == '~' {
		return false // all printable ASCII: deliberate
	}
	alnum := func(c rune) bool {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	if alnum(r.lo) && alnum(r.hi) {
		return false
	}
	for c := r.lo; c <= r.hi; c++ {
		if alnum(c) {
			return true
		}
	}
	return false
}

func rangeContents(r rng) string {
	var kinds []string
	has := func(lo, hi rune) bool { return r.lo <= hi && r.hi >= lo }
	if has('0', '9') {
		kinds = append(kinds, "digits")
	}
	if has('A', 'Z') {
		kinds = append(kinds, "upper-case letters")
	}
	if has('a', 'z') {
		kinds = append(kinds, "lower-case letters")
	}
	var punct []string
	for c := r.lo; c <= r.hi && len(punct) < 4; c++ {
		if c != r.lo && c != r.hi && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') {
			punct = append(punct, fmt.Sprintf("%q", c))
		}
	}
	if len(punct) > 0 {
		kinds = append(kinds, "punctuation such as "+strings.Join(punct, " "))
	}
	return strings.Join(kinds, ", ")
}

// qp quotes a pattern for messages without doubling its backslashes.
func qp(s string) string { return "'" + s + "'" }
