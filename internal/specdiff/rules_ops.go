package specdiff

import (
	"fmt"
	"strings"

	"github.com/pb33f/libopenapi/what-changed/model"
	"gopkg.in/yaml.v3"
)

func pathsRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	if c.ChangeType == model.ObjectAdded || c.ChangeType == model.ObjectRemoved {
		p := key(c)
		if removed(c) {
			return verdict{code: "path-removed", breaking: true, extra: []string{p},
				msg: fmt.Sprintf("path %s removed%s", p, w.opsUnder(w.old, append(s.segs, p)))}
		}
		if added(c) {
			return verdict{code: "path-added", extra: []string{p},
				msg: fmt.Sprintf("path %s added%s", p, w.opsUnder(w.new, append(s.segs, p)))}
		}
	}
	return unknownRule(w, s, Neither, c)
}

// opsUnder lists the operations of the path item at segs: " (GET, POST)".
func (w *walker) opsUnder(t *tree, segs []string) string {
	sp := t.find(segs)
	if !sp.found {
		return ""
	}
	n := sp.node
	var ops []string
	for _, m := range methods {
		if mapValue(n, m) != nil {
			ops = append(ops, strings.ToUpper(m))
		}
	}
	if len(ops) == 0 {
		return ""
	}
	return " (" + strings.Join(ops, ", ") + ")"
}

func isMethod(p string) bool {
	for _, m := range methods {
		if p == m {
			return true
		}
	}
	return p == "additionalOperations"
}

func pathItemRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	switch {
	case isMethod(c.Property):
		m := c.Property
		if m == "additionalOperations" {
			m = strings.ToLower(key(c))
		}
		label := strings.ToUpper(m) + " " + strings.Join(s.segs, ".")
		if removed(c) {
			return verdict{code: "operation-removed", breaking: true, extra: []string{m}, msg: label + " removed"}
		}
		return verdict{code: "operation-added", extra: []string{m}, msg: label + " added"}
	case c.Property == "parameters":
		return parameterListRule(w, s, d, c)
	case c.Property == "servers":
		return serverRule(w, s, d, c)
	}
	return unknownRule(w, s, Neither, c)
}

func operationRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	switch c.Property {
	case "operationId":
		return verdict{code: "operation-id-changed", extra: []string{"operationId"},
			msg: "operationId " + values(c) + " (wire-compatible; renames generated client methods)"}
	case "requestBody":
		return requestBodyPresenceRule(w, s, d, c)
	case "parameters":
		return parameterListRule(w, s, d, c)
	case "responses":
		return verdict{code: "responses-" + verb(c), breaking: d == Response && removed(c) || d == Request && added(c),
			extra: []string{"responses"}, msg: "responses " + verb(c)}
	case "callbacks":
		return callbackRule(w, s, d, c)
	case "security":
		return securityRule(w, s.at("security"), d, c)
	case "servers":
		return serverRule(w, s, d, c)
	}
	return unknownRule(w, s, d, c)
}

func requestBodyPresenceRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	p := prefix(d)
	ex := []string{"requestBody"}
	if removed(c) {
		return verdict{code: p + "body-removed", breaking: d != Neither, extra: ex,
			msg: "request body removed: the body sent so far is no longer part of the contract"}
	}
	if w.new.scalar(append(s.segs, "requestBody"), "required") == "true" {
		return verdict{code: p + "required-body-added", breaking: d == Request, extra: ex, msg: "required request body added"}
	}
	return verdict{code: p + "body-added", breaking: false, extra: ex, msg: "optional request body added"}
}

// parameterListRule handles a parameter added to or removed from a list.
func parameterListRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	p := prefix(d)
	name := key(c)
	ex := []string{"parameters", name}
	if c.ChangeType == model.PropertyAdded || c.ChangeType == model.PropertyRemoved {
		t := w.new
		if removed(c) {
			t = w.old
		}
		ex, name = []string{"parameters"}, "parameters "+w.paramNames(t, append(s.segs, "parameters"))
	}
	if removed(c) {
		return verdict{code: p + "parameter-removed", breaking: d != Neither, extra: ex, msg: name + " removed"}
	}
	if d == Request && w.requiredParam(append(s.segs, ex...)) {
		return verdict{code: p + "required-parameter-added", breaking: true, extra: ex, msg: "required " + name + " added"}
	}
	return verdict{code: p + "parameter-added", extra: ex, msg: "optional " + name + " added"}
}

// paramNames lists the names of the parameters at segs: "id, page".
func (w *walker) paramNames(t *tree, segs []string) string {
	sp := t.find(segs)
	if !sp.found || sp.node.Kind != yaml.SequenceNode {
		return ""
	}
	var names []string
	for _, el := range sp.node.Content {
		if n := mapValue(t.deref(el), "name"); n != nil {
			names = append(names, n.Value)
		}
	}
	return strings.Join(names, ", ")
}

// requiredParam reports whether the parameter (or any in the list) at segs
// in NEW is required; path parameters always are.
func (w *walker) requiredParam(segs []string) bool {
	sp := w.new.find(segs)
	if !sp.found {
		return false
	}
	n := sp.node
	list := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		list = n.Content
	}
	for _, el := range list {
		el = w.new.deref(el)
		if r := mapValue(el, "required"); r != nil && r.Value == "true" {
			return true
		}
		if in := mapValue(el, "in"); in != nil && in.Value == "path" {
			return true
		}
	}
	return false
}

func parameterRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	switch c.Property {
	case "required":
		return requiredFlip(d, c, "parameter", "parameter")
	case "in":
		return verdict{code: prefix(d) + "parameter-location-changed", breaking: d != Neither, extra: []string{"in"}, msg: "parameter moved: " + values(c)}
	case "style", "explode", "allowReserved", "allowEmptyValue":
		return serialization(d, c, "parameter")
	case "schema":
		return schemaRule(w, s, d, c)
	case "content":
		return mediaKeyRule(w, s, d, c)
	}
	return unknownRule(w, s, d, c)
}

func requestBodyRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	switch c.Property {
	case "required":
		return requiredFlip(d, c, "body", "request body")
	case "content":
		return mediaKeyRule(w, s, d, c)
	}
	return unknownRule(w, s, d, c)
}

// mediaKeyRule: a media type removed breaks clients that use it, one added
// does not.
func mediaKeyRule(_ *walker, _ scope, d Direction, c *model.Change) verdict {
	mt := key(c)
	ex := []string{"content", mt}
	if removed(c) {
		return verdict{code: prefix(d) + "media-type-removed", breaking: d != Neither, extra: ex, msg: "media type " + mt + " removed"}
	}
	if added(c) {
		return verdict{code: prefix(d) + "media-type-added", extra: ex, msg: "media type " + mt + " added"}
	}
	return unknownRule(nil, scope{}, d, c)
}

func mediaTypeRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	switch c.Property {
	case "schema", "itemSchema":
		return schemaRule(w, s, d, c)
	case "encoding", "itemEncoding":
		return encodingRule(w, s, d, c)
	}
	return unknownRule(w, s, d, c)
}

// encodingRule: multipart/form encodings change the bytes on the wire.
func encodingRule(w *walker, s scope, d Direction, c *model.Change) verdict {
	if isDocProp(c) {
		return docRule(w, s, d, c)
	}
	return verdict{code: prefix(d) + "encoding-changed", breaking: d != Neither, extra: []string{c.Property},
		msg: fmt.Sprintf("encoding %s %s: %s", c.Property, verb(c), values(c))}
}
