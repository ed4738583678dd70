package specdiff

import (
	"fmt"

	"github.com/pb33f/libopenapi/what-changed/model"
)

// propertyRule: a removed property breaks both sides (the API stops
// honouring or sending it); an added property breaks neither (a new
// required one is reported by requiredRule; clients ignore unknown
// response fields).
func propertyRule(d Direction, c *model.Change) verdict {
	name := key(c)
	ex := []string{"properties", name}
	if removed(c) {
		return verdict{code: prefix(d) + "property-removed", breaking: d != Neither, extra: ex, msg: "property " + name + " removed"}
	}
	return verdict{code: prefix(d) + "property-added", extra: ex, msg: "property " + name + " added"}
}

// requiredRule: a client must now send a newly required request property;
// it can no longer count on a response property that stopped being required.
func requiredRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	name := key(c)
	ex := []string{"required"}
	if added(c) {
		what := "property " + name + " is now required"
		if !w.old.find(s.at("properties", name).segs).found {
			what = "new required property " + name
		}
		return verdict{code: prefix(d) + "property-required-added", breaking: d == Request, extra: ex, msg: what}
	}
	return verdict{code: prefix(d) + "property-required-removed", breaking: d == Response, extra: ex,
		msg: "property " + name + " is no longer required"}
}

// enumRule: a value removed from a request enum breaks clients sending it;
// a value added to a response enum breaks clients that switch over the
// values. An enum where there was none restricts; one dropped widens.
func enumRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	val := key(c)
	ex := []string{"enum"}
	switch {
	case added(c) && !w.old.has(s.segs, "enum"):
		return verdict{code: prefix(d) + "enum-added", breaking: breaks(d, tighter), extra: ex,
			msg: fmt.Sprintf("enum restriction added (allows %s)", short(val))}
	case removed(c) && !w.new.has(s.segs, "enum"):
		return verdict{code: prefix(d) + "enum-removed", breaking: breaks(d, looser), extra: ex,
			msg: fmt.Sprintf("enum restriction removed (allowed %s)", short(val))}
	case added(c):
		return verdict{code: prefix(d) + "enum-value-added", breaking: breaks(d, looser), extra: ex,
			msg: fmt.Sprintf("enum value %s added", short(val))}
	case removed(c):
		return verdict{code: prefix(d) + "enum-value-removed", breaking: breaks(d, tighter), extra: ex,
			msg: fmt.Sprintf("enum value %s removed", short(val))}
	}
	return judged(d, "enum", c, altered, "")
}

// accessRule: readOnly turned on stops the API accepting a request
// property; writeOnly turned on stops it sending a response property.
func accessRule(d Direction, c *model.Change) verdict {
	on := c.New == "true"
	hurts := (c.Property == "readOnly" && d == Request) || (c.Property == "writeOnly" && d == Response)
	how := "removed"
	if on {
		how = "added"
	}
	return verdict{code: prefix(d) + kebab(c.Property) + "-" + how, breaking: on && hurts, extra: []string{c.Property},
		msg: fmt.Sprintf("%s %s", c.Property, values(c))}
}

// defaultRule: clients that omit a request value get the default, so
// changing or dropping it changes what they ask for.
func defaultRule(d Direction, c *model.Change) verdict {
	return verdict{code: prefix(d) + "default-" + verb(c), breaking: d == Request && !added(c), extra: []string{"default"},
		msg: "default " + verb(c) + ": " + values(c)}
}

// additionalRule: forbidding extra request properties breaks clients
// sending them; extra response properties are ignored by clients, like
// added properties.
func additionalRule(d Direction, c *model.Change) verdict {
	kw := c.Property
	var e effect
	switch {
	case c.New == "false":
		e = tighter
	case c.Original == "false" || removed(c):
		e = looser
	case added(c):
		e = tighter
	default:
		e = altered
	}
	breaking := d == Request && (e == tighter || e == altered)
	msg := fmt.Sprintf("%s %s: %s", kw, verb(c), values(c))
	if d != Neither {
		msg += fmt.Sprintf(" (%s %s)", d, e)
	}
	return verdict{code: prefix(d) + kebab(kw) + "-" + verb(c), breaking: breaking, extra: []string{kw}, msg: msg}
}
