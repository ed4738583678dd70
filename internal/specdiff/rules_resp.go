package specdiff

import (
	"fmt"
	"strings"

	"github.com/pb33f/libopenapi/what-changed/model"
)

// responsesRule: a removed success status breaks clients built around it;
// other status changes do not (clients handle unknown codes by class).
func responsesRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	p := prefix(d)
	switch c.Property {
	case "codes":
		code := key(c)
		ex := []string{code}
		if removed(c) && strings.HasPrefix(code, "2") {
			return verdict{code: p + "success-status-removed", breaking: d != Neither, extra: ex, msg: "success status " + code + " removed"}
		}
		return verdict{code: p + "status-" + verb(c), extra: ex, msg: "status " + code + " " + verb(c)}
	case "default":
		return verdict{code: p + "default-response-" + verb(c), extra: []string{"default"}, msg: "default response " + verb(c)}
	}
	return unknownRule(w, s, d, c)
}

func responseRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	switch c.Property {
	case "headers":
		return headerPresenceRule(w, s, d, c)
	case "content":
		return mediaKeyRule(w, s, d, c)
	case "schema":
		return schemaRule(w, s, d, c)
	}
	return unknownRule(w, s, d, c)
}

// headerPresenceRule: a header the API sends must not disappear; a header
// the API expects (callback responses) must not be newly required.
func headerPresenceRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	h := key(c)
	ex := []string{"headers", h}
	p := prefix(d)
	if removed(c) {
		return verdict{code: p + "header-removed", breaking: d == Response, extra: ex, msg: "header " + h + " removed"}
	}
	if d == Request && w.new.scalar(append(s.segs, ex...), "required") == "true" {
		return verdict{code: p + "required-header-added", breaking: true, extra: ex, msg: "required header " + h + " added"}
	}
	return verdict{code: p + "header-added", extra: ex, msg: "header " + h + " added"}
}

func headerRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	switch c.Property {
	case "required":
		return requiredFlip(d, c, "header", "header")
	case "style", "explode":
		return serialization(d, c, "header")
	case "schema":
		return schemaRule(w, s, d, c)
	case "content":
		return mediaKeyRule(w, s, d, c)
	}
	return unknownRule(w, s, d, c)
}

// callbackRule: a callback the API stops sending breaks clients that
// depend on it.
func callbackRule(w *walker, s scope, _ Direction, c *model.Change) verdict {
	if isDocProp(c) {
		return docRule(w, s, Neither, c)
	}
	name := key(c)
	switch {
	case removed(c):
		return verdict{code: "callback-removed", breaking: true, extra: []string{name}, msg: "callback " + name + " removed"}
	case added(c):
		return verdict{code: "callback-added", extra: []string{name}, msg: "callback " + name + " added"}
	}
	return verdict{code: "callback-changed", breaking: true, extra: []string{name}, msg: "callback " + name + " changed: " + values(c)}
}

// serverRule: clients are configured with a server URL; moving or removing
// it breaks them, adding one does not.
func serverRule(w *walker, s scope, _ Direction, c *model.Change) verdict {
	switch {
	case isDocProp(c):
		return docRule(w, s, Neither, c)
	case removed(c):
		return verdict{code: "server-removed", breaking: true, msg: "server " + key(c) + " removed"}
	case added(c):
		return verdict{code: "server-added", msg: "server " + key(c) + " added"}
	}
	return verdict{code: "server-changed", breaking: true, extra: []string{c.Property}, msg: fmt.Sprintf("server %s %s: %s", c.Property, verb(c), values(c))}
}

// securityRule: a new requirement may need credentials clients lack; a
// removed one breaks clients using it, unless no requirement is left.
func securityRule(w *walker, s scope, _ Direction, c *model.Change) verdict {
	name := key(c)
	if name == "" {
		name = c.Property
	}
	switch {
	case added(c):
		return verdict{code: "security-requirement-added", breaking: true, msg: "security requirement " + name + " added"}
	case removed(c):
		sp := w.new.find(s.segs)
		open := !sp.found || sp.node == nil || len(sp.node.Content) == 0
		return verdict{code: "security-requirement-removed", breaking: !open, msg: "security requirement " + name + " removed"}
	}
	return verdict{code: "security-requirement-changed", breaking: true, msg: "security requirement changed: " + values(c)}
}

func securitySchemeRule(w *walker, s scope, _ Direction, c *model.Change) verdict {
	switch {
	case isDocProp(c):
		return docRule(w, s, Neither, c)
	case removed(c) && c.Property == "securitySchemes":
		return verdict{code: "security-scheme-removed", breaking: true, msg: "security scheme removed"}
	case added(c) && c.Property == "securitySchemes":
		return verdict{code: "security-scheme-added", msg: "security scheme added"}
	}
	return verdict{code: "security-scheme-changed", breaking: true, extra: []string{c.Property},
		msg: fmt.Sprintf("security scheme %s %s: %s", c.Property, verb(c), values(c))}
}

// componentsRule: adding or removing a component is not itself a change
// to any operation; the operations that use it report their own changes.
func componentsRule(w *walker, s scope, _ Direction, c *model.Change) verdict {
	kind := map[string]string{"definitions": "schema", "schemas": "schema", "parameters": "parameter",
		"responses": "response", "securitySchemes": "security-scheme", "requestBodies": "request-body",
		"headers": "header", "examples": "example", "links": "link", "callbacks": "callback", "pathItems": "path-item"}[c.Property]
	if kind == "" {
		return unknownRule(w, s, Neither, c)
	}
	name := key(c)
	return verdict{code: "component-" + kind + "-" + verb(c), extra: []string{c.Property, name},
		msg: fmt.Sprintf("component %s %s %s", kind, name, verb(c))}
}

func discriminatorRule(_ *walker, _ scope, d Direction, c *model.Change) verdict {
	if isDocProp(c) {
		return docRule(nil, scope{}, d, c)
	}
	return verdict{code: prefix(d) + "discriminator-changed", breaking: d != Neither, extra: []string{c.Property},
		msg: fmt.Sprintf("discriminator %s %s: %s", c.Property, verb(c), values(c))}
}
