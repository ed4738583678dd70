package speclint

import (
	"fmt"
	"strings"
	"unicode"
)

// gcLong maps long General_Category names to their short forms.
var gcLong = map[string]string{
	"Letter": "L", "Cased_Letter": "LC", "Uppercase_Letter": "Lu", "Lowercase_Letter": "Ll",
	"Titlecase_Letter": "Lt", "Modifier_Letter": "Lm", "Other_Letter": "Lo", "Mark": "M",
	"Nonspacing_Mark": "Mn", "Spacing_Mark": "Mc", "Enclosing_Mark": "Me", "Number": "N",
	"Decimal_Number": "Nd", "digit": "Nd", "Letter_Number": "Nl", "Other_Number": "No",
	"Punctuation": "P", "punct": "P", "Connector_Punctuation": "Pc", "Dash_Punctuation": "Pd",
	"Open_Punctuation": "Ps", "Close_Punctuation": "Pe", "Initial_Punctuation": "Pi",
	"Final_Punctuation": "Pf", "Other_Punctuation": "Po", "Symbol": "S", "Math_Symbol": "Sm",
	"Currency_Symbol": "Sc", "Modifier_Symbol": "Sk", "Other_Symbol": "So", "Separator": "Z",
	"Space_Separator": "Zs", "Line_Separator": "Zl", "Paragraph_Separator": "Zp", "Other": "C",
	"Control": "Cc", "cntrl": "Cc", "Format": "Cf", "Surrogate": "Cs", "Private_Use": "Co",
	"Unassigned": "Cn",
}

// ecmaOnlyBinary are binary properties ECMA-262 knows that Go's unicode
// package has no table for.
var ecmaOnlyBinary = map[string]bool{
	"Alphabetic": true, "Alpha": true, "Any": true, "Assigned": true, "Lowercase": true, "Lower": true,
	"Uppercase": true, "Upper": true, "Emoji": true, "Emoji_Presentation": true, "Emoji_Modifier": true,
	"Emoji_Modifier_Base": true, "Emoji_Component": true, "Extended_Pictographic": true, "ID_Start": true,
	"ID_Continue": true, "XID_Start": true, "XID_Continue": true, "Math": true, "Cased": true,
	"Case_Ignorable": true, "Default_Ignorable_Code_Point": true, "Grapheme_Base": true,
	"Grapheme_Extend": true, "Changes_When_Lowercased": true, "Changes_When_Uppercased": true,
	"Changes_When_Titlecased": true, "Changes_When_Casefolded": true, "Changes_When_Casemapped": true,
	"Changes_When_NFKC_Casefolded": true, "Bidi_Mirrored": true,
}

// property parses \p{...} or \P{...} (u flag) after the backslash.
func (p *ecmaParser) property() classItem {
	neg := p.peek() == 'P'
	if p.peekAt(1) != '{' {
		p.fail(`invalid property name: \%c needs {Name}`, p.peek())
	}
	end := strings.IndexRune(string(p.src[p.pos:]), '}')
	if end < 0 {
		p.fail("invalid property name")
	}
	body := string(p.src[p.pos+2 : p.pos+end])
	p.pos += end + 1
	key, val, hasKey := strings.Cut(body, "=")
	if !hasKey {
		key, val = "", body
	}
	item, ok := p.propertyItem(key, val)
	if !ok {
		p.fail(`invalid property name \p{%s} (ECMA-262 writes scripts as \p{Script=Greek})`, body)
	}
	if neg {
		if item.re2 != "" {
			item.re2 = `\P` + strings.TrimPrefix(item.re2, `\p`)
		} else {
			item.ranges = complement(item.ranges)
		}
	}
	return item
}

func (p *ecmaParser) propertyItem(key, val string) (classItem, bool) {
	switch key {
	case "General_Category", "gc", "":
		if s, ok := gcLong[val]; ok {
			val = s
		}
		if val == "LC" {
			return classItem{re2: `\p{Lu}\p{Ll}\p{Lt}`}, true
		}
		if _, ok := unicode.Categories[val]; ok {
			return classItem{re2: `\p{` + val + `}`}, true
		}
		if key != "" {
			return classItem{}, false
		}
		return p.binaryProperty(val)
	case "Script", "sc", "Script_Extensions", "scx":
		if _, ok := unicode.Scripts[val]; ok {
			return classItem{re2: `\p{` + val + `}`}, true
		}
		if len(val) == 4 && strings.ToUpper(val[:1]) == val[:1] { // ISO 15924 code, e.g. Grek
			p.unsupported(fmt.Sprintf(`\p{%s=%s} (a script code RE2 does not know)`, key, val))
			return classItem{ranges: []rng{{0, maxRune}}}, true
		}
	}
	return classItem{}, false
}

func (p *ecmaParser) binaryProperty(name string) (classItem, bool) {
	switch name {
	case "ASCII":
		return classItem{ranges: []rng{{0, 0x7f}}}, true
	case "Any":
		return classItem{ranges: []rng{{0, maxRune}}}, true
	}
	if t, ok := unicode.Properties[name]; ok {
		var rs []rng
		for _, r := range t.R16 {
			rs = append(rs, stride(rune(r.Lo), rune(r.Hi), rune(r.Stride))...)
		}
		for _, r := range t.R32 {
			rs = append(rs, stride(rune(r.Lo), rune(r.Hi), rune(r.Stride))...)
		}
		return classItem{ranges: rs}, true
	}
	if ecmaOnlyBinary[name] {
		p.unsupported(fmt.Sprintf(`\p{%s} (a property RE2 has no table for)`, name))
		return classItem{ranges: []rng{{0, maxRune}}}, true
	}
	return classItem{}, false
}

func stride(lo, hi, step rune) []rng {
	if step == 1 {
		return []rng{{lo, hi}}
	}
	var rs []rng
	for c := lo; c <= hi; c += step {
		rs = append(rs, rng{c, c})
	}
	return rs
}

// class parses [...] and writes an RE2 class with the ECMA meaning.
func (p *ecmaParser) class() {
	p.pos++
	neg := p.peek() == '^'
	if neg {
		p.pos++
	}
	var parts []string
	for {
		if p.eof() {
			p.fail("unterminated character class")
		}
		if p.peek() == ']' {
			p.pos++
			break
		}
		parts = append(parts, p.classRange())
	}
	switch {
	case len(parts) == 0 && neg: // [^] matches any character
		p.out.WriteString(`[\x{0}-\x{10ffff}]`)
	case len(parts) == 0: // [] matches nothing
		p.out.WriteString(`[^\x{0}-\x{10ffff}]`)
	case neg:
		p.out.WriteString("[^" + strings.Join(parts, "") + "]")
	default:
		p.out.WriteString("[" + strings.Join(parts, "") + "]")
	}
}

// classRange parses one class atom or range a-b.
func (p *ecmaParser) classRange() string {
	if p.lookingAt("[:") {
		p.noteDiffers("'[:' inside a class: RE2 reads [[:name:]] as a POSIX class, ECMA-262 as the characters '[', ':', ... and a literal ']'")
	}
	a := p.classAtom()
	if p.peek() != '-' || p.peekAt(1) == ']' || p.peekAt(1) == -1 {
		return a.goText()
	}
	p.pos++
	b := p.classAtom()
	if !a.single || !b.single {
		if p.u {
			p.fail("invalid character class range (a class escape cannot be a range end)")
		}
		return a.goText() + `\x{2d}` + b.goText()
	}
	if a.ranges[0].lo > b.ranges[0].lo {
		p.fail("range out of order in character class")
	}
	return classItem{ranges: []rng{{a.ranges[0].lo, b.ranges[0].lo}}}.goText()
}

func (p *ecmaParser) classAtom() classItem {
	c := p.peek()
	if c != '\\' {
		p.pos++
		return one(c)
	}
	p.pos++
	if p.eof() {
		p.fail(`\ at end of pattern`)
	}
	return p.characterEscape(true)
}

func (p *ecmaParser) noteDiffers(s string) {
	for _, d := range p.differs {
		if d == s {
			return
		}
	}
	p.differs = append(p.differs, s)
}
