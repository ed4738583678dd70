package specdiff

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/pb33f/libopenapi/what-changed/model"
)

// effect is what a change does to the set of values a schema or an
// operation accepts.
type effect int

const (
	neutral effect = iota // no effect on valid data (docs)
	tighter               // fewer values are valid
	looser                // more values are valid
	altered               // neither a subset nor a superset: cannot tell
)

// breaks is the core rule: data the client sends (request) must not be
// tightened, data the client receives (response) must not be loosened, and
// a change that is neither is breaking either way. Changes outside any
// operation's data never break a client.
func breaks(d Direction, e effect) bool {
	switch {
	case d == Neither || e == neutral:
		return false
	case e == altered:
		return true
	case e == tighter:
		return d == Request
	default:
		return d == Response
	}
}

// prefix starts a data-flow code: "request-", "response-", or "schema-" for
// a component schema no operation uses.
func prefix(d Direction) string {
	if d == Neither {
		return "schema-"
	}
	return string(d) + "-"
}

func (e effect) String() string {
	return [...]string{"no effect on valid data", "tightened", "loosened", "changed incompatibly"}[e]
}

// verb names a libopenapi change type.
func verb(c *model.Change) string {
	switch c.ChangeType {
	case model.PropertyAdded, model.ObjectAdded:
		return "added"
	case model.PropertyRemoved, model.ObjectRemoved:
		return "removed"
	}
	return "changed"
}

func added(c *model.Change) bool   { return verb(c) == "added" }
func removed(c *model.Change) bool { return verb(c) == "removed" }

// key is the name libopenapi gives an added or removed map entry.
func key(c *model.Change) string {
	if c.New != "" {
		return c.New
	}
	return c.Original
}

// kebab turns a keyword into a code part: maxLength → max-length. Anything
// but letters and digits becomes a single dash.
func kebab(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// values describes a change's before and after for messages.
func values(c *model.Change) string {
	switch {
	case c.Original != "" && c.New != "":
		return fmt.Sprintf("%s → %s", short(c.Original), short(c.New))
	case c.New != "":
		return short(c.New)
	case c.Original != "":
		return short(c.Original)
	}
	return ""
}

func short(s string) string {
	s = oneLine(s)
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// docKeywords never affect valid data.
var docKeywords = map[string]bool{
	"description": true, "summary": true, "title": true, "example": true, "examples": true,
	"externalDocs": true, "xml": true, "$comment": true, "tags": true, "contact": true,
	"license": true, "termsOfService": true, "links": true, "jsonSchemaDialect": true, "openapi": true,
}

// isDocProp reports whether c changes a documentation keyword or an
// extension (x-...), which rules hand to docRule.
func isDocProp(c *model.Change) bool {
	return docKeywords[c.Property] || strings.HasPrefix(c.Property, "x-")
}

// requiredFlip judges a "required" flag turned on or off on the thing the
// code and noun name ("parameter", "request body"): turning it on breaks
// request senders, turning it off breaks response readers.
func requiredFlip(d Direction, c *model.Change, code, noun string) verdict {
	ex := []string{"required"}
	if c.New == "true" {
		return verdict{code: prefix(d) + code + "-became-required", breaking: d == Request, extra: ex, msg: noun + " is now required"}
	}
	return verdict{code: prefix(d) + code + "-became-optional", breaking: d == Response, extra: ex, msg: noun + " is now optional"}
}

// serialization judges a change to how the named thing is serialized on
// the wire (style, explode, ...): breaking in either direction.
func serialization(d Direction, c *model.Change, noun string) verdict {
	return verdict{code: prefix(d) + noun + "-serialization-changed", breaking: d != Neither, extra: []string{c.Property},
		msg: fmt.Sprintf("%s %s %s: %s", noun, c.Property, verb(c), values(c))}
}

// docRule: documentation and metadata changes never break a client.
func docRule(_ *walker, _ scope, _ Direction, c *model.Change) verdict {
	if c.Property == "deprecated" {
		return deprecation(c)
	}
	kw := kebab(c.Property)
	if strings.HasPrefix(c.Property, "x-") {
		kw = "extension"
	}
	return verdict{code: kw + "-" + verb(c), msg: fmt.Sprintf("%s %s: %s", c.Property, verb(c), values(c)), extra: []string{c.Property}}
}

// tagRule: tags only group operations in documentation.
func tagRule(_ *walker, _ scope, _ Direction, c *model.Change) verdict {
	if c.ChangeType == model.Modified {
		return verdict{code: "tag-" + kebab(c.Property) + "-changed", msg: fmt.Sprintf("tag %s changed: %s", c.Property, values(c))}
	}
	return verdict{code: "tag-" + verb(c), msg: fmt.Sprintf("tag %s %s", c.Property, verb(c))}
}

func deprecation(c *model.Change) verdict {
	if c.New == "true" {
		return verdict{code: "deprecation-added", msg: "now deprecated", extra: []string{"deprecated"}}
	}
	return verdict{code: "deprecation-removed", msg: "no longer deprecated", extra: []string{"deprecated"}}
}

// unknownRule: a change in operation data no rule covers is treated as
// breaking, so the gate errs on the safe side.
func unknownRule(_ *walker, _ scope, d Direction, c *model.Change) verdict {
	if isDocProp(c) || c.Property == "deprecated" {
		return docRule(nil, scope{}, d, c)
	}
	p := prefix(d)
	if d == Neither {
		p = ""
	}
	v := verdict{
		code: p + kebab(c.Property) + "-" + verb(c), breaking: d != Neither, extra: []string{c.Property},
		msg: fmt.Sprintf("%s %s: %s", c.Property, verb(c), values(c)),
	}
	if v.breaking {
		v.msg += " (no specific rule; treated as breaking)"
	}
	return v
}
