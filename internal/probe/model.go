package probe

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/spec"
)

// operation is one operation of the spec, compiled for case generation.
type operation struct {
	id, method, path string // path: the template, relative to the base path
	ptr              string // "/paths/~1messages/post"
	params           []*param
	body             *reqBody // nil: the operation takes no body
	secured          bool
	schemes          string // "BasicAuth": the security schemes required
	secPtr           string // pointer of the security requirement in force
	links            []Link // OpenAPI links of its responses
}

// param is a query, path or header parameter.
type param struct {
	name, in string
	required bool
	n        node
	ptr      string // pointer of the parameter declaration
	example  any
}

// where names the parameter as validate.Finding.Where does: "query id".
func (p *param) where() string { return p.in + " " + p.name }

// reqBody is an operation's request body.
type reqBody struct {
	required bool
	ptr      string // "…/requestBody"
	media    []*media
}

// media is one declared media type of a request body.
type media struct {
	typ      string // "application/json", "multipart/form-data"
	n        node
	ptr      string // pointer of the media type ("…/content/application~1json")
	examples []example
	encoding map[string]string // multipart: property → declared content types
}

// example is a named example value.
type example struct {
	name  string
	value any
}

func (m *media) isJSON() bool {
	return m.typ == "application/json" || strings.HasSuffix(m.typ, "+json")
}

func (m *media) isMultipart() bool { return strings.HasPrefix(m.typ, "multipart/") }

// primary is the media type cases use: JSON first, then multipart.
func (b *reqBody) primary() *media {
	for _, m := range b.media {
		if m.isJSON() {
			return m
		}
	}
	for _, m := range b.media {
		if m.isMultipart() {
			return m
		}
	}
	return nil
}

// operations compiles every operation of doc, in path then method order.
func operations(doc *spec.Doc) []*operation {
	var out []*operation
	if doc == nil || doc.T == nil || doc.T.Paths == nil {
		return nil
	}
	paths := doc.T.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.T.Paths.Value(path)
		if item == nil {
			continue
		}
		ops := item.Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			out = append(out, compileOp(doc, path, strings.ToUpper(m), item, ops[m]))
		}
	}
	return out
}

func compileOp(doc *spec.Doc, path, method string, item *openapi3.PathItem, op *openapi3.Operation) *operation {
	ptr := "/paths/" + spec.EscapeToken(path) + "/" + strings.ToLower(method)
	o := &operation{id: op.OperationID, method: method, path: path, ptr: ptr}
	if o.id == "" {
		o.id = method + " " + path
	}
	o.params = compileParams(ptr, "/paths/"+spec.EscapeToken(path), op.Parameters, item.Parameters)
	o.body = compileBody(op.RequestBody, ptr+"/requestBody")
	o.secured = secured(doc.T.Security, op.Security)
	o.schemes, o.secPtr = schemeNames(doc.T.Security, op.Security), "/security"
	if op.Security != nil {
		o.secPtr = ptr + "/security"
	}
	if op.Responses != nil {
		for _, key := range slices.Sorted(mapKeys(op.Responses.Map())) {
			if r := op.Responses.Map()[key]; r != nil && r.Value != nil {
				o.links = append(o.links, specLinks(o.id, r.Value.Links)...)
			}
		}
	}
	return o
}

// secured: every security requirement names a scheme (an empty one, {},
// makes credentials optional).
func secured(top openapi3.SecurityRequirements, op *openapi3.SecurityRequirements) bool {
	reqs := top
	if op != nil {
		reqs = *op
	}
	if len(reqs) == 0 {
		return false
	}
	for _, r := range reqs {
		if len(r) == 0 {
			return false
		}
	}
	return true
}

// schemeNames lists the schemes of the security requirements in force.
func schemeNames(top openapi3.SecurityRequirements, op *openapi3.SecurityRequirements) string {
	reqs := top
	if op != nil {
		reqs = *op
	}
	var names []string
	for _, r := range reqs {
		for name := range r {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func compileParams(opPtr, pathPtr string, opParams, pathParams openapi3.Parameters) []*param {
	var out []*param
	seen := map[string]bool{}
	add := func(list openapi3.Parameters, base string) {
		for i, ref := range list {
			if ref == nil || ref.Value == nil || ref.Value.In == openapi3.ParameterInCookie {
				continue
			}
			p := ref.Value
			if seen[p.In+" "+p.Name] {
				continue
			}
			seen[p.In+" "+p.Name] = true
			ptr := refPtr(ref.Ref, base+"/parameters/"+strconv.Itoa(i))
			np := &param{name: p.Name, in: p.In, required: p.Required || p.In == openapi3.ParameterInPath,
				n: nodeOf(p.Schema, ptr+"/schema"), ptr: ptr, example: paramExample(p)}
			if p.In == openapi3.ParameterInHeader {
				np.name = http.CanonicalHeaderKey(p.Name)
			}
			out = append(out, np)
		}
	}
	add(opParams, opPtr)
	add(pathParams, pathPtr)
	return out
}

func paramExample(p *openapi3.Parameter) any {
	if p.Example != nil {
		return p.Example
	}
	for _, name := range slices.Sorted(mapKeys(p.Examples)) {
		if e := p.Examples[name]; e != nil && e.Value != nil && e.Value.Value != nil {
			return e.Value.Value
		}
	}
	if p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Example != nil {
		return p.Schema.Value.Example
	}
	return nil
}

func compileBody(ref *openapi3.RequestBodyRef, fallback string) *reqBody {
	if ref == nil || ref.Value == nil {
		return nil
	}
	ptr := refPtr(ref.Ref, fallback)
	b := &reqBody{required: ref.Value.Required, ptr: ptr}
	for _, typ := range slices.Sorted(mapKeys(ref.Value.Content)) {
		mt := ref.Value.Content[typ]
		if mt == nil {
			continue
		}
		mptr := ptr + "/content/" + spec.EscapeToken(typ)
		m := &media{typ: strings.ToLower(strings.TrimSpace(strings.Split(typ, ";")[0])), n: nodeOf(mt.Schema, mptr+"/schema"), ptr: mptr}
		m.examples = mediaExamples(mt)
		if len(mt.Encoding) > 0 {
			m.encoding = map[string]string{}
			for name, e := range mt.Encoding {
				if e != nil {
					m.encoding[name] = e.ContentType
				}
			}
		}
		b.media = append(b.media, m)
	}
	return b
}

func mediaExamples(mt *openapi3.MediaType) []example {
	var out []example
	if mt.Example != nil {
		out = append(out, example{name: "example", value: mt.Example})
	}
	for _, name := range slices.Sorted(mapKeys(mt.Examples)) {
		if e := mt.Examples[name]; e != nil && e.Value != nil && e.Value.Value != nil {
			out = append(out, example{name: name, value: e.Value.Value})
		}
	}
	return out
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// linkTargets lists, per operationId, the places a link fills ("query id",
// "body /message_id"): values there name resources, so a generated one may
// honestly answer 404.
func linkTargets(links []Link) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, l := range links {
		if out[l.To] == nil {
			out[l.To] = map[string]bool{}
		}
		out[l.To][l.In+" "+l.Param] = true
	}
	return out
}
