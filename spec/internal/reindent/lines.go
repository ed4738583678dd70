package reindent

import (
	"regexp"
	"strings"
)

// line is one input line, classified once.
type line struct {
	text   string // the line as read, without its newline
	dashes int    // number of leading "- " sequence markers
	body   string // text after the markers
	key    string // the mapping key of body, when hasKey
	value  string // the inline value after "key:", trimmed; "" when none
	hasKey bool
}

// blockIndicator matches a block scalar header: |, >, with optional
// chomping and indentation indicators.
var blockIndicator = regexp.MustCompile(`^[|>]([+-]?[1-9]?|[1-9][+-])$`)

// isBlock reports whether the inline value starts a block scalar.
func (l line) isBlock() bool { return l.hasKey && blockIndicator.MatchString(l.value) }

// isFlow reports whether the inline value is a flow sequence or mapping.
func (l line) isFlow() bool {
	return strings.HasPrefix(l.value, "[") || strings.HasPrefix(l.value, "{")
}

// classify splits a line into sequence markers, key and inline value.
func classify(text string) line {
	l := line{text: text, body: text}
	for l.body == "-" || strings.HasPrefix(l.body, "- ") {
		l.dashes++
		l.body = strings.TrimLeft(strings.TrimPrefix(l.body, "-"), " ")
	}
	if k, v, ok := splitKey(l.body); ok {
		l.key, l.value, l.hasKey = k, v, true
	}
	return l
}

// splitKey finds a YAML implicit key: a quoted scalar or a plain scalar
// followed by ":" and a space or the end of the line. Plain scalars cannot
// start with an indicator character, so prose such as "- `sent`: …" or
// "**Required** when:" is not a key.
func splitKey(s string) (key, value string, ok bool) {
	if s == "" {
		return "", "", false
	}
	var end int
	switch s[0] {
	case '\'', '"':
		end = closingQuote(s)
		if end < 0 {
			return "", "", false
		}
		end++
	default:
		if strings.ContainsRune("`*&!|>%@[]{},#?", rune(s[0])) {
			return "", "", false
		}
		end = plainKeyEnd(s)
		if end < 0 {
			return "", "", false
		}
	}
	rest := s[end:]
	if rest != ":" && !strings.HasPrefix(rest, ": ") {
		return "", "", false
	}
	return unquote(s[:end]), strings.TrimSpace(rest[1:]), true
}

// plainKeyEnd returns the index of the first ":" that ends a plain key.
func plainKeyEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && (i == len(s)-1 || s[i+1] == ' ') {
			return i
		}
		if s[i] == '#' && i > 0 && s[i-1] == ' ' {
			return -1 // a comment starts before any ":"
		}
	}
	return -1
}

// closingQuote returns the index of the quote closing the scalar that
// starts at s[0], or -1.
func closingQuote(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

// unquote returns a key's text without its quotes (escapes are kept: keys
// are only compared with grammar names, which never need them).
func unquote(k string) string {
	if len(k) >= 2 && (k[0] == '\'' || k[0] == '"') {
		return k[1 : len(k)-1]
	}
	return k
}
