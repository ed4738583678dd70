package validate

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/spec"
)

// pathEntry is one path of the spec with its operations.
type pathEntry struct {
	template string
	segs     []string // split template, only for templated paths
	ops      map[string]*operation
	allowed  []string // sorted methods
}

// operation is the compiled state of one operation.
type operation struct {
	id, method, template, ptr string
	params                    []*param
	body                      *bodySpec
	byCode                    map[int]*response
	ranges                    [6]*response // index status/100
	def                       *response
}

// param is a request parameter (or a response header, which is a parameter
// with in: header).
type param struct {
	name, in string
	where    string // "query media_id", "header X-RateLimit-Limit"
	required bool
	schema   *openapi3.Schema
	ptr      string // spec pointer of the declaration
	// lastOK is the last single value that passed: header values repeat
	// from one response to the next, and pattern checks are not free.
	lastOK atomic.Pointer[string]
}

// bodySpec is a request body or a response's content.
type bodySpec struct {
	required bool
	ptr      string // pointer of the content map
	media    []*media
}

// media is one declared media type with its schema.
type media struct {
	typ    string // lower case, without parameters
	json   bool
	schema *openapi3.Schema
	ptr    string // pointer of the media type's schema
}

// response is one declared response.
type response struct {
	key     string // "202", "4XX", "default"
	ptr     string
	headers []*param
	body    *bodySpec // nil when no content is declared
}

// callbackSpec is a callback's request body.
type callbackSpec struct {
	kind       Kind
	expression string
	ptr        string
	body       *bodySpec
}

// builder walks the spec once and records spec pointers for every schema.
type builder struct {
	ptrs       map[*openapi3.Schema]string
	unresolved []unresolvedRef // $refs kin-openapi left without a value
}

// refPtr is the spec pointer for a node reached through ref, or fallback
// when the node is inline.
func refPtr(ref, fallback string) string {
	if strings.HasPrefix(ref, "#/") {
		return ref[1:]
	}
	return fallback
}

func (b *builder) walkSchema(ref *openapi3.SchemaRef, ptr string) {
	if ref != nil && ref.Value == nil && ref.Ref != "" {
		b.unresolved = append(b.unresolved, unresolvedRef{ptr, ref.Ref})
	}
	if ref == nil || ref.Value == nil {
		return
	}
	ptr = refPtr(ref.Ref, ptr)
	s := ref.Value
	if _, seen := b.ptrs[s]; seen {
		return
	}
	b.ptrs[s] = ptr
	for name, p := range s.Properties {
		b.walkSchema(p, ptr+"/properties/"+spec.EscapeToken(name))
	}
	b.walkSchema(s.Items, ptr+"/items")
	b.walkSchema(s.Not, ptr+"/not")
	b.walkSchema(s.AdditionalProperties.Schema, ptr+"/additionalProperties")
	for key, list := range map[string]openapi3.SchemaRefs{"allOf": s.AllOf, "oneOf": s.OneOf, "anyOf": s.AnyOf} {
		for i, r := range list {
			b.walkSchema(r, ptr+"/"+key+"/"+strconv.Itoa(i))
		}
	}
}

func (b *builder) schemaPtr(ref *openapi3.SchemaRef, fallback string) (*openapi3.Schema, string) {
	b.walkSchema(ref, fallback)
	if ref == nil || ref.Value == nil {
		return nil, fallback
	}
	return ref.Value, b.ptrs[ref.Value]
}

func (b *builder) content(c openapi3.Content, ptr string) []*media {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*media, 0, len(keys))
	for _, k := range keys {
		mt := c[k]
		m := &media{typ: strings.ToLower(strings.TrimSpace(baseMediaType(k)))}
		m.json = isJSONMedia(m.typ)
		if mt != nil {
			m.schema, m.ptr = b.schemaPtr(mt.Schema, ptr+"/"+spec.EscapeToken(k)+"/schema")
		}
		out = append(out, m)
	}
	return out
}

func (b *builder) param(ref *openapi3.ParameterRef, ptr string) *param {
	if ref == nil || ref.Value == nil {
		return nil
	}
	ptr = refPtr(ref.Ref, ptr)
	p := ref.Value
	out := &param{name: p.Name, in: p.In, required: p.Required || p.In == openapi3.ParameterInPath, ptr: ptr}
	if p.In == openapi3.ParameterInHeader {
		out.name = http.CanonicalHeaderKey(p.Name)
	}
	out.where = p.In + " " + p.Name
	out.schema, _ = b.schemaPtr(p.Schema, ptr+"/schema")
	return out
}

func (b *builder) response(key string, ref *openapi3.ResponseRef, ptr string) *response {
	ptr = refPtr(ref.Ref, ptr)
	r := &response{key: key, ptr: ptr}
	if ref.Value == nil {
		return r
	}
	names := make([]string, 0, len(ref.Value.Headers))
	for name := range ref.Value.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		h := ref.Value.Headers[name]
		if h == nil || h.Value == nil || strings.EqualFold(name, "Content-Type") {
			continue // OAS: a Content-Type header definition is ignored
		}
		hp := refPtr(h.Ref, ptr+"/headers/"+spec.EscapeToken(name))
		p := &param{name: http.CanonicalHeaderKey(name), in: "header", where: "header " + name, required: true, ptr: ptr + "/headers/" + spec.EscapeToken(name)}
		p.schema, _ = b.schemaPtr(h.Value.Schema, hp+"/schema")
		r.headers = append(r.headers, p)
	}
	if len(ref.Value.Content) > 0 {
		r.body = &bodySpec{required: true, ptr: ptr + "/content", media: b.content(ref.Value.Content, ptr+"/content")}
	}
	return r
}

func (b *builder) requestBody(ref *openapi3.RequestBodyRef, ptr string) *bodySpec {
	if ref == nil || ref.Value == nil {
		return nil
	}
	ptr = refPtr(ref.Ref, ptr)
	return &bodySpec{required: ref.Value.Required, ptr: ptr + "/content", media: b.content(ref.Value.Content, ptr+"/content")}
}
