package speclint

import (
	"fmt"
	"strconv"
	"strings"
)

// ecmaResult is what parsing a pattern as an ECMA-262 regular expression
// tells: whether it is valid, and an RE2 (Go) pattern with the same meaning
// so that values can be matched the way a JavaScript client matches them.
type ecmaResult struct {
	// Err is the ECMA-262 syntax error, nil when the pattern is valid.
	Err error
	// GoEquiv is an RE2 pattern with the ECMA meaning; empty when Err is
	// set or when the pattern uses something RE2 cannot express.
	GoEquiv string
	// NoRE2 names the construct RE2 cannot express (lookaround,
	// backreference, ...); empty when GoEquiv is set or Err is set.
	NoRE2 string
	// Differs lists constructs that Go reads differently from ECMA.
	Differs []string
}

// ecmaParser is a recursive-descent parser for ECMA-262 patterns, in
// unicode mode (the `u` flag, which ajv uses by default) or in legacy
// (Annex B) mode (a plain `new RegExp(p)`).
type ecmaParser struct {
	src     []rune
	pos     int
	u       bool
	groups  int // capturing groups in the whole pattern
	named   bool
	out     strings.Builder
	noRE2   string
	differs []string
}

type ecmaError struct {
	pos int
	msg string
}

func (e *ecmaError) Error() string { return fmt.Sprintf("%s at offset %d", e.msg, e.pos) }

// parseECMA parses pattern as ECMA-262 with or without the u flag.
func parseECMA(pattern string, unicodeMode bool) (res ecmaResult) {
	p := &ecmaParser{src: []rune(pattern), u: unicodeMode}
	p.countGroups()
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*ecmaError)
			if !ok {
				panic(r)
			}
			res = ecmaResult{Err: e}
		}
	}()
	p.disjunction()
	if p.pos < len(p.src) {
		p.fail("unmatched ')'")
	}
	res.Differs = p.differs
	if p.noRE2 != "" {
		res.NoRE2 = p.noRE2
		return res
	}
	res.GoEquiv = p.out.String()
	return res
}

func (p *ecmaParser) fail(format string, a ...any) {
	panic(&ecmaError{pos: p.pos, msg: fmt.Sprintf(format, a...)})
}

func (p *ecmaParser) eof() bool { return p.pos >= len(p.src) }

func (p *ecmaParser) peek() rune {
	if p.eof() {
		return -1
	}
	return p.src[p.pos]
}

func (p *ecmaParser) peekAt(i int) rune {
	if p.pos+i >= len(p.src) {
		return -1
	}
	return p.src[p.pos+i]
}

func (p *ecmaParser) lookingAt(s string) bool {
	return strings.HasPrefix(string(p.src[p.pos:]), s)
}

// countGroups counts capturing groups up front, as ECMA does, so that
// \N can be told apart from a legacy octal escape.
func (p *ecmaParser) countGroups() {
	inClass := false
	for i := 0; i < len(p.src); i++ {
		switch c := p.src[i]; {
		case c == '\\':
			i++
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '(' && !inClass:
			if i+1 < len(p.src) && p.src[i+1] == '?' {
				if i+2 < len(p.src) && p.src[i+2] == '<' && i+3 < len(p.src) && p.src[i+3] != '=' && p.src[i+3] != '!' {
					p.groups++
					p.named = true
				}
				continue
			}
			p.groups++
		}
	}
}

func (p *ecmaParser) unsupported(what string) {
	if p.noRE2 == "" {
		p.noRE2 = what
	}
}

func (p *ecmaParser) disjunction() {
	p.alternative()
	for p.peek() == '|' {
		p.pos++
		p.out.WriteByte('|')
		p.alternative()
	}
}

func (p *ecmaParser) alternative() {
	for !p.eof() && p.peek() != '|' && p.peek() != ')' {
		p.term()
	}
}

// term parses an assertion or an atom with an optional quantifier.
func (p *ecmaParser) term() {
	c := p.peek()
	switch {
	case c == '^' || c == '$':
		p.pos++
		p.out.WriteRune(c)
		p.noQuantifier("an assertion")
		return
	case c == '\\' && (p.peekAt(1) == 'b' || p.peekAt(1) == 'B'):
		p.out.WriteString(string(p.src[p.pos : p.pos+2]))
		p.pos += 2
		p.noQuantifier("an assertion")
		return
	}
	if !p.atom() {
		p.noQuantifier("an assertion")
		return
	}
	if p.quantifier() {
		if c := p.peek(); c == '*' || c == '+' || c == '?' || (c == '{' && p.quantifierAhead()) {
			p.fail("nothing to repeat (possessive quantifiers like '*+' and '++' do not exist in ECMA-262)")
		}
	}
}

func (p *ecmaParser) noQuantifier(what string) {
	if c := p.peek(); c == '*' || c == '+' || c == '?' || (c == '{' && p.quantifierAhead()) {
		p.fail("nothing to repeat: %s cannot be quantified", what)
	}
}

// quantifierAhead reports whether the text at pos is {n}, {n,} or {n,m}.
func (p *ecmaParser) quantifierAhead() bool {
	_, _, n := p.scanBraces()
	return n > 0
}

// scanBraces reads {n}, {n,} or {n,m} at pos without consuming it; n is
// its length in runes (0 when it is not one). max is -1 for {n,}.
func (p *ecmaParser) scanBraces() (lo, hi, n int) {
	s := string(p.src[p.pos:])
	if !strings.HasPrefix(s, "{") {
		return 0, 0, 0
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return 0, 0, 0
	}
	body := s[1:end]
	a, b, comma := strings.Cut(body, ",")
	lo, err := strconv.Atoi(a)
	if err != nil || a == "" || strings.ContainsAny(a, "+-") {
		return 0, 0, 0
	}
	hi = lo
	if comma {
		hi = -1
		if b != "" {
			if hi, err = strconv.Atoi(b); err != nil || strings.ContainsAny(b, "+-") {
				return 0, 0, 0
			}
		}
	}
	return lo, hi, len([]rune(s[:end+1]))
}

// quantifier parses an optional quantifier and copies it to the output.
func (p *ecmaParser) quantifier() bool {
	switch c := p.peek(); c {
	case '*', '+', '?':
		p.pos++
		p.out.WriteRune(c)
	case '{':
		lo, hi, n := p.scanBraces()
		if n == 0 {
			if p.u {
				p.fail("incomplete quantifier '{'")
			}
			return false
		}
		if hi >= 0 && hi < lo {
			p.fail("numbers out of order in {} quantifier")
		}
		if lo > 1000 || hi > 1000 {
			p.unsupported(fmt.Sprintf("a repeat count above 1000 (%s)", string(p.src[p.pos:p.pos+n])))
		}
		p.out.WriteString(string(p.src[p.pos : p.pos+n]))
		p.pos += n
	default:
		return false
	}
	if p.peek() == '?' {
		p.pos++
		p.out.WriteByte('?')
	}
	return true
}

// atom parses one atom; it returns false for a lookaround that cannot be
// quantified.
func (p *ecmaParser) atom() bool {
	c := p.peek()
	switch c {
	case '(':
		return p.group()
	case ')':
		p.fail("unmatched ')'")
	case '[':
		p.class()
	case '.':
		p.pos++
		p.noteDiffers("'.': ECMA-262 excludes \\r, U+2028 and U+2029 as well as \\n; RE2's '.' excludes only \\n")
		p.out.WriteString(`[^\n\r\x{2028}\x{2029}]`)
	case '\\':
		p.atomEscape()
	case '*', '+', '?':
		p.fail("nothing to repeat")
	case '{':
		if p.u || p.quantifierAhead() {
			p.fail("nothing to repeat / lone quantifier bracket '{'")
		}
		p.literal(c)
	case '}', ']':
		if p.u {
			p.fail("lone quantifier bracket or unmatched '%c'", c)
		}
		p.literal(c)
	default:
		p.literal(c)
	}
	return true
}

func (p *ecmaParser) literal(c rune) {
	p.pos++
	p.emitRune(c)
}

func (p *ecmaParser) emitRune(c rune) {
	fmt.Fprintf(&p.out, `\x{%x}`, c)
}

// group parses (...), (?:...), (?<name>...) and lookarounds.
func (p *ecmaParser) group() bool {
	p.pos++
	quantifiable := true
	switch {
	case p.lookingAt("?:"):
		p.pos += 2
		p.out.WriteString("(?:")
	case p.lookingAt("?=") || p.lookingAt("?!"):
		p.pos += 2
		p.unsupported("a lookahead (?= or (?!")
		p.out.WriteString("(?:")
		quantifiable = !p.u
	case p.lookingAt("?<=") || p.lookingAt("?<!"):
		p.pos += 3
		p.unsupported("a lookbehind (?<= or (?<!")
		p.out.WriteString("(?:")
		quantifiable = false
	case p.lookingAt("?<"):
		p.pos += 2
		end := strings.IndexRune(string(p.src[p.pos:]), '>')
		if end <= 0 {
			p.fail("invalid capture group name")
		}
		p.pos += len([]rune(string(p.src[p.pos:])[:end])) + 1
		p.out.WriteString("(")
	case p.peek() == '?':
		p.fail("invalid group '(?%c' (inline flags, atomic groups, (?P<name>) and comments do not exist in ECMA-262)", p.peekAt(1))
	default:
		p.out.WriteString("(")
	}
	p.disjunction()
	if p.peek() != ')' {
		p.fail("unterminated group")
	}
	p.pos++
	p.out.WriteByte(')')
	return quantifiable
}
