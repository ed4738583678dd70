package speclint

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// rng is an inclusive code point range.
type rng struct{ lo, hi rune }

const maxRune = unicode.MaxRune

var (
	digitRanges = []rng{{'0', '9'}}
	wordRanges  = []rng{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
	// spaceRanges is ECMA-262 WhiteSpace and LineTerminator (\s), which
	// is wider than RE2's \s ([\t\n\f\r ]).
	spaceRanges = []rng{{'\t', '\r'}, {' ', ' '}, {0xa0, 0xa0}, {0x1680, 0x1680}, {0x2000, 0x200a},
		{0x2028, 0x2029}, {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}, {0xfeff, 0xfeff}}
)

// complement returns the code points not in rs (rs sorted, disjoint).
func complement(rs []rng) []rng {
	var out []rng
	next := rune(0)
	for _, r := range rs {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= maxRune {
		out = append(out, rng{next, maxRune})
	}
	return out
}

// classItem is one member of a character class: ranges, or an RE2
// \p{...}/\P{...} item.
type classItem struct {
	ranges []rng
	re2    string // "\p{Greek}" etc.
	single bool   // one character: can be a range endpoint
}

func (c classItem) goText() string {
	if c.re2 != "" {
		return c.re2
	}
	var b strings.Builder
	for _, r := range c.ranges {
		if r.lo == r.hi {
			fmt.Fprintf(&b, `\x{%x}`, r.lo)
		} else {
			fmt.Fprintf(&b, `\x{%x}-\x{%x}`, r.lo, r.hi)
		}
	}
	return b.String()
}

func one(c rune) classItem { return classItem{ranges: []rng{{c, c}}, single: true} }

// classEscape returns the item for \d \D \w \W \s \S, or false.
func classEscape(c rune) (classItem, bool) {
	var rs []rng
	switch unicode.ToLower(c) {
	case 'd':
		rs = digitRanges
	case 'w':
		rs = wordRanges
	case 's':
		rs = spaceRanges
	default:
		return classItem{}, false
	}
	if unicode.IsUpper(c) {
		rs = complement(rs)
	}
	return classItem{ranges: rs}, true
}

const syntaxChars = `^$\.*+?()[]{}|/`

// atomEscape parses an escape outside a class (after the backslash).
func (p *ecmaParser) atomEscape() {
	p.pos++
	if p.eof() {
		p.fail(`\ at end of pattern`)
	}
	c := p.peek()
	switch {
	case c >= '1' && c <= '9':
		p.decimalEscape()
		return
	case c == 'k' && (p.u || p.named):
		p.pos++
		end := strings.IndexRune(string(p.src[p.pos:]), '>')
		if p.peek() != '<' || end < 0 {
			p.fail(`invalid named reference \k`)
		}
		p.pos += len([]rune(string(p.src[p.pos:])[:end])) + 1
		p.unsupported(`a named backreference \k<name>`)
		p.out.WriteString("(?:)")
		return
	}
	item := p.characterEscape(false)
	p.out.WriteString("[" + item.goText() + "]")
}

// decimalEscape handles \1..\9: a backreference, or in legacy mode an
// octal escape or identity escape when no such group exists.
func (p *ecmaParser) decimalEscape() {
	start := p.pos
	for !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
		p.pos++
	}
	n, _ := strconv.Atoi(string(p.src[start:p.pos]))
	if n <= p.groups {
		p.unsupported(fmt.Sprintf(`a backreference \%d`, n))
		p.out.WriteString("(?:)")
		return
	}
	if p.u {
		p.pos = start
		p.fail(`invalid escape \%d: no group %d (backreference to a missing group)`, n, n)
	}
	p.pos = start
	p.emitRune(p.legacyOctal())
}

// legacyOctal reads up to three octal digits (value <= 0377), or an
// identity-escaped 8 or 9.
func (p *ecmaParser) legacyOctal() rune {
	if c := p.peek(); c == '8' || c == '9' {
		p.pos++
		return c
	}
	v := rune(0)
	for i := 0; i < 3 && !p.eof() && p.peek() >= '0' && p.peek() <= '7'; i++ {
		nv := v*8 + (p.peek() - '0')
		if nv > 0377 {
			break
		}
		v = nv
		p.pos++
	}
	return v
}

// characterEscape parses the escape at pos (after the backslash), inside
// or outside a class, and returns what it matches.
func (p *ecmaParser) characterEscape(inClass bool) classItem {
	c := p.peek()
	if it, ok := classEscape(c); ok {
		p.pos++
		if c == 's' || c == 'S' {
			p.noteDiffers(`\s: ECMA-262 also counts \v, NBSP (U+00A0), U+2028, U+FEFF and other Unicode spaces as whitespace; RE2's \s is only [\t\n\f\r ]`)
		}
		return it
	}
	switch c {
	case 't', 'n', 'v', 'f', 'r':
		p.pos++
		return one(map[rune]rune{'t': '\t', 'n': '\n', 'v': '\v', 'f': '\f', 'r': '\r'}[c])
	case 'b':
		if inClass {
			p.pos++
			return one('\b')
		}
	case '0':
		if d := p.peekAt(1); d < '0' || d > '9' {
			p.pos++
			return one(0)
		}
		if p.u {
			p.fail(`invalid decimal escape \0%c`, p.peekAt(1))
		}
		return one(p.legacyOctal())
	case 'c':
		if l := p.peekAt(1); (l >= 'a' && l <= 'z') || (l >= 'A' && l <= 'Z') {
			p.pos += 2
			return one(l % 32)
		}
		if p.u {
			p.fail(`invalid control escape \c`)
		}
		return one('\\') // legacy: the backslash is literal, "c" follows
	case 'x':
		if v, ok := p.hex(1, 2); ok {
			return one(v)
		}
	case 'u':
		if v, ok := p.unicodeEscape(); ok {
			return one(v)
		}
	case 'p', 'P':
		if p.u {
			return p.property()
		}
	}
	return p.identityEscape(c, inClass)
}

func (p *ecmaParser) identityEscape(c rune, inClass bool) classItem {
	if c >= '1' && c <= '9' && inClass {
		if p.u {
			p.fail(`invalid class escape \%c`, c)
		}
		return one(p.legacyOctal())
	}
	if strings.ContainsRune(syntaxChars, c) || (c == '-' && inClass) {
		p.pos++
		return one(c)
	}
	if p.u {
		p.fail(`invalid escape '\%c' (with the u flag only syntax characters %s may be escaped)`, c, syntaxChars)
	}
	p.pos++
	return one(c)
}

// hex reads \x HH (after skipping skip runes) when digits follow.
func (p *ecmaParser) hex(skip, digits int) (rune, bool) {
	if p.pos+skip+digits > len(p.src) {
		if p.u {
			p.fail("invalid hexadecimal escape")
		}
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.src[p.pos+skip:p.pos+skip+digits]), 16, 32)
	if err != nil {
		if p.u {
			p.fail("invalid hexadecimal escape")
		}
		return 0, false
	}
	p.pos += skip + digits
	return rune(v), true
}

// unicodeEscape reads \uXXXX, a surrogate pair, or (u flag) \u{X...}.
func (p *ecmaParser) unicodeEscape() (rune, bool) {
	if p.u && p.peekAt(1) == '{' {
		end := strings.IndexRune(string(p.src[p.pos:]), '}')
		if end < 0 {
			p.fail("invalid unicode escape")
		}
		body := string(p.src[p.pos+2 : p.pos+end])
		v, err := strconv.ParseUint(body, 16, 32)
		if err != nil || v > maxRune {
			p.fail("invalid unicode escape")
		}
		p.pos += end + 1
		return rune(v), true
	}
	v, ok := p.hex(1, 4)
	if ok && p.u && v >= 0xd800 && v <= 0xdbff && p.lookingAt(`\u`) {
		save := p.pos
		if lo, ok2 := p.hex(2, 4); ok2 && lo >= 0xdc00 && lo <= 0xdfff {
			return (v-0xd800)<<10 + (lo - 0xdc00) + 0x10000, true
		}
		p.pos = save
	}
	return v, ok
}
