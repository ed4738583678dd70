package validate

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// CodeCallbackUndeclared: the spec declares no callback of the kind asked for.
const CodeCallbackUndeclared = "callback-undeclared"

// Response checks a response to method path (which may include the base
// path and a query) against the operation's declared responses: status,
// headers, content type and body.
func (v *Validator) Response(method, path string, status int, h http.Header, body []byte) []Finding {
	return printable(v.response(method, path, status, h, body))
}

func (v *Validator) response(method, path string, status int, h http.Header, body []byte) []Finding {
	o, out := v.find(method, path)
	if o == nil {
		for i := range out {
			out[i].Status = status
		}
		return out
	}
	base := Finding{Operation: o.id, Method: o.method, Path: o.template, Status: status}
	r := o.lookup(status)
	if r == nil {
		f := base
		f.Code, f.Where = CodeStatusUndeclared, "status"
		f.Spec = v.locate(o.ptr + "/responses")
		f.Message = fmt.Sprintf("status %d is not declared; declared: %s", status, strings.Join(o.declared(), ", "))
		return []Finding{f}
	}
	for _, p := range r.headers {
		vals := h[p.name]
		if len(vals) == 0 {
			f := base
			f.Code, f.Where = CodeHeaderMissing, p.where
			f.Spec = v.locate(p.ptr)
			f.Message = fmt.Sprintf("expected header %s (declared for %s), got none", strings.TrimPrefix(p.where, "header "), r.key)
			out = append(out, f)
			continue
		}
		out = v.checkValue(p, vals, CodeHeaderInvalid, base, out)
	}
	_, out = v.checkBody(r.body, r.ptr, h, body, base, out)
	return out
}

// declared lists the operation's response keys in a stable order.
func (o *operation) declared() []string {
	var keys []string
	for code := range o.byCode {
		keys = append(keys, strconv.Itoa(code))
	}
	for c, r := range o.ranges {
		if r != nil {
			keys = append(keys, strconv.Itoa(c)+"XX")
		}
	}
	sortStrings(keys)
	if o.def != nil {
		keys = append(keys, "default")
	}
	return keys
}

// find routes method and path to an operation, or returns the path-unknown
// or method-not-allowed finding.
func (v *Validator) find(method, path string) (*operation, []Finding) {
	rel := v.relPath(path)
	pe, _ := v.route(rel)
	if pe == nil {
		return nil, []Finding{{Code: CodePathUnknown, Method: method, Path: rel, Where: "path",
			Spec:    v.locate("/paths"),
			Message: fmt.Sprintf("expected a path the spec declares (under %q), got %s", v.base, rel)}}
	}
	o := pe.ops[strings.ToUpper(method)]
	if o == nil {
		return nil, []Finding{{Code: CodeMethodNotAllowed, Method: method, Path: pe.template, Where: "method",
			Spec:    v.locate("/paths/" + escape(pe.template)),
			Message: fmt.Sprintf("expected one of %s for %s, got %s", strings.Join(pe.allowed, ", "), pe.template, method)}}
	}
	return o, nil
}

// checkValue checks a header or parameter value against its schema.
func (v *Validator) checkValue(p *param, vals []string, code string, base Finding, out []Finding) []Finding {
	if p.schema == nil {
		return out
	}
	if len(vals) == 1 {
		if last := p.lastOK.Load(); last != nil && *last == vals[0] {
			return out
		}
	}
	base.Code, base.Where = code, p.where
	val, err := decodeValue(p.schema, vals)
	if err != nil {
		f := base
		f.Rule = "type: " + strings.Join(p.schema.Type.Slice(), ", ")
		f.Spec = v.locate(v.ptrs[p.schema] + "/type")
		f.Message = fmt.Sprintf("expected %s, got %q", strings.Join(p.schema.Type.Slice(), " or "), strings.Join(vals, ","))
		return append(out, f)
	}
	if err := v.visit(p.schema, val); err != nil {
		return append(out, v.schemaFindings(err, base, v.ptrs[p.schema])...)
	}
	if len(vals) == 1 {
		p.lastOK.Store(&vals[0])
	}
	return out
}

// decodeValue turns header or parameter text into the JSON value its
// schema's type calls for.
func decodeValue(s *openapi3.Schema, vals []string) (any, error) {
	if s.Type.Is(openapi3.TypeArray) {
		var items []any
		for _, raw := range vals {
			for _, part := range strings.Split(raw, ",") {
				item := any(part)
				if s.Items != nil && s.Items.Value != nil {
					var err error
					if item, err = decodeScalar(s.Items.Value, part); err != nil {
						return nil, err
					}
				}
				items = append(items, item)
			}
		}
		return items, nil
	}
	return decodeScalar(s, vals[0])
}

func decodeScalar(s *openapi3.Schema, raw string) (any, error) {
	switch {
	case s.Type.Is(openapi3.TypeInteger):
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		return float64(n), err
	case s.Type.Is(openapi3.TypeNumber):
		return strconv.ParseFloat(strings.TrimSpace(raw), 64)
	case s.Type.Is(openapi3.TypeBoolean):
		return strconv.ParseBool(strings.TrimSpace(raw))
	}
	return raw, nil
}

// checkBody checks the Content-Type and the body against bs. It returns the
// decoded body when it was JSON.
// declPtr is the spec pointer of the operation or response that declares
// (or does not declare) the body.
func (v *Validator) checkBody(bs *bodySpec, declPtr string, h http.Header, body []byte, base Finding, out []Finding) (any, []Finding) {
	base.Where = "body"
	if bs == nil || len(bs.media) == 0 {
		if len(body) > 0 && bs == nil {
			f := base
			f.Code, f.Spec = CodeBodyUndeclared, v.locate(declPtr)
			f.Message = fmt.Sprintf("expected no body, got %d bytes", len(body))
			out = append(out, f)
		}
		return nil, out
	}
	if len(body) == 0 {
		if bs.required {
			f := base
			f.Code, f.Spec = CodeBodyMissing, v.locate(bs.ptr)
			f.Message = "expected a body (" + bs.types() + "), got none"
			out = append(out, f)
		}
		return nil, out
	}
	ct := contentType(h)
	m := bs.match(ct)
	if m == nil {
		f := base
		f.Code, f.Where, f.Spec = CodeContentTypeMismatch, "header Content-Type", v.locate(bs.ptr)
		f.Message = fmt.Sprintf("expected Content-Type %s, got %q", bs.types(), ct)
		out = append(out, f)
		if m = bs.firstJSON(); m == nil {
			return nil, out
		}
	}
	return v.checkMedia(m, body, base, out)
}

func (v *Validator) checkMedia(m *media, body []byte, base Finding, out []Finding) (any, []Finding) {
	var val any
	switch {
	case m.json:
		var err error
		if val, err = DecodeJSON(body); err != nil {
			f := base
			f.Code, f.Spec = CodeBodyNotJSON, v.locate(m.ptr)
			f.Message = "expected JSON (" + m.typ + "), got invalid JSON: " + oneLine(err.Error())
			return nil, append(out, f)
		}
	case m.schema != nil && m.schema.Type.Is(openapi3.TypeString) && !strings.HasPrefix(m.typ, "multipart/"):
		val = string(body)
	default:
		return nil, out // form and multipart bodies: content type only
	}
	if err := v.visit(m.schema, val); err != nil {
		base.Code = CodeBodySchema
		out = append(out, v.schemaFindings(err, base, m.ptr)...)
	}
	if !m.json {
		return nil, out
	}
	return val, out
}

// match returns the declared media type ct satisfies, honouring wildcards.
func (bs *bodySpec) match(ct string) *media {
	if ct == "" {
		return nil
	}
	for _, m := range bs.media {
		switch {
		case m.typ == ct, m.typ == "*/*":
			return m
		case strings.HasSuffix(m.typ, "/*") && strings.HasPrefix(ct, m.typ[:len(m.typ)-1]):
			return m
		}
	}
	return nil
}

func (bs *bodySpec) firstJSON() *media {
	for _, m := range bs.media {
		if m.json {
			return m
		}
	}
	return nil
}

func (bs *bodySpec) types() string {
	names := make([]string, len(bs.media))
	for i, m := range bs.media {
		names[i] = m.typ
	}
	return strings.Join(names, " or ")
}

// contentType is the media type of h's Content-Type, lower case, without
// parameters.
func contentType(h http.Header) string {
	vals := h["Content-Type"]
	if len(vals) == 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(baseMediaType(vals[0])))
}

func baseMediaType(s string) string {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		return s[:i]
	}
	return s
}

func isJSONMedia(t string) bool {
	return t == "application/json" || strings.HasSuffix(t, "+json")
}
