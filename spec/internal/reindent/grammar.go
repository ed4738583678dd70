package reindent

import (
	"regexp"
	"strings"
)

// val says which forms a value may take.
type val struct {
	scalar bool  // an inline scalar, flow collection or block scalar
	obj    *kind // a block mapping of this object type
	seq    *val  // a block sequence of these items
	any    bool  // anything: free-form data, parsed lazily
}

// kind is an OpenAPI object type: its fixed keys, and for maps the value of
// every other key.
type kind struct {
	name   string
	fields map[string]*val
	each   *val              // value of keys not in fields (maps)
	keyOK  func(string) bool // which keys each applies to; nil: all
	// fits, when set, vetoes a key the object would otherwise take, given
	// what the object already holds.
	fits func(o *object, key string, l, next line) bool
	// after, when set, vetoes an entry the object would otherwise take,
	// given its parsed value.
	after func(o *object, key string, r result) bool
	// done, when set, checks a finished object.
	done func(o *object) bool
	// local, for maps of schemas or parameters that are not components,
	// names the components section ("schemas") whose referenced names
	// are not taken as keys when an enclosing frame takes them: a name
	// the document references as '#/components/schemas/Name' is a
	// component, not a property.
	local string
}

// field returns the value a key takes in this object type, or nil.
func (k *kind) field(key string) *val {
	if v, ok := k.fields[key]; ok {
		return v
	}
	if strings.HasPrefix(key, "x-") && k.each == nil {
		return anyVal
	}
	if k.each != nil && (k.keyOK == nil || k.keyOK(key)) {
		return k.each
	}
	return nil
}

// object is the state of a mapping being parsed: what it holds so far.
type object struct {
	k      *kind
	keys   []string
	inline map[string]string   // inline values by key
	items  map[string][]string // scalar items of block sequences by key
	kids   map[string]*object  // structured mappings by key
}

func newObject(k *kind) *object {
	return &object{k: k, inline: map[string]string{}, items: map[string][]string{}, kids: map[string]*object{}}
}

func (o *object) has(key string) bool {
	for _, k := range o.keys {
		if k == key {
			return true
		}
	}
	return false
}

var (
	scalarVal = &val{scalar: true}
	anyVal    = &val{any: true}
	strList   = &val{scalar: true, seq: scalarVal}
	anyList   = &val{scalar: true, seq: anyVal}
)

func objVal(k *kind) *val    { return &val{obj: k} }
func listOf(k *kind) *val    { return &val{scalar: true, seq: objVal(k)} }
func mapOf(v *val) *kind     { return &kind{name: "map", each: v} }
func objOrBool(k *kind) *val { return &val{scalar: true, obj: k} }

var (
	statusCode = regexp.MustCompile(`^([1-5]([0-9]{2}|XX)|default)$`)
	mediaRange = regexp.MustCompile(`^[a-zA-Z*][-\w.+*]*/[-\w.+*]+(;.*)?$`)
)

// openAPI builds the OpenAPI 3.0 grammar and returns the document type.
func openAPI() *kind {
	s, mediaSchema, _ := schemaKinds()
	media, header, param, example := &kind{name: "MediaType"}, &kind{name: "Header"}, &kind{name: "Parameter"}, &kind{name: "Example"}
	content := &kind{name: "content", each: objVal(media), keyOK: mediaRange.MatchString}
	example.fields = fields("$ref summary description externalValue", map[string]*val{"value": anyVal})
	encoding := &kind{name: "Encoding", fields: fields("contentType style explode allowReserved",
		map[string]*val{"headers": objVal(mapOf(objVal(header)))})}
	media.fields = map[string]*val{"schema": objVal(mediaSchema), "example": anyVal,
		"examples": objVal(mapOf(objVal(example))), "encoding": objVal(mapOf(objVal(encoding)))}
	paramFields := func(extra string) map[string]*val {
		return fields(extra+" $ref description required deprecated allowEmptyValue style explode allowReserved",
			map[string]*val{"schema": objVal(s), "example": anyVal,
				"examples": objVal(mapOf(objVal(example))), "content": objVal(content)})
	}
	header.fields, header.done = paramFields(""), nonEmpty
	param.fields, param.done = paramFields("name in"), needs("name", "in")
	link := &kind{name: "Link", fields: fields("operationRef operationId description",
		map[string]*val{"parameters": anyVal, "requestBody": anyVal, "server": anyVal})}
	response := &kind{name: "Response", done: needs("description"), fields: fields("$ref description",
		map[string]*val{"headers": objVal(mapOf(objVal(header))), "content": objVal(content),
			"links": objVal(mapOf(objVal(link)))})}
	body := &kind{name: "RequestBody", fields: fields("$ref description required",
		map[string]*val{"content": objVal(content)})}
	responses := &kind{name: "Responses", each: objVal(response), keyOK: statusCode.MatchString}
	extDocs := &kind{name: "ExternalDocs", fields: fields("description url", nil)}
	server := serverKind()
	secReq := &kind{name: "SecurityRequirement", each: strList}
	op, pathItem := &kind{name: "Operation"}, &kind{name: "PathItem"}
	callback := &kind{name: "Callback", each: objVal(pathItem)}
	op.fields = fields("summary description operationId deprecated", map[string]*val{
		"tags": strList, "externalDocs": objVal(extDocs), "parameters": listOf(param),
		"requestBody": objVal(body), "responses": objVal(responses),
		"callbacks": objVal(mapOf(objVal(callback))), "security": listOf(secReq), "servers": listOf(server)})
	pathItem.fields = fields("$ref summary description", map[string]*val{
		"servers": listOf(server), "parameters": listOf(param)})
	for _, m := range strings.Fields("get put post delete options head patch trace") {
		pathItem.fields[m] = objVal(op)
	}
	paths := &kind{name: "Paths", each: objVal(pathItem), keyOK: func(k string) bool { return strings.HasPrefix(k, "/") }}
	components := &kind{name: "Components", fields: map[string]*val{
		"schemas": objVal(mapOf(objVal(s))), "responses": objVal(mapOf(objVal(response))),
		"parameters": objVal(mapOf(objVal(param))), "examples": objVal(mapOf(objVal(example))),
		"requestBodies": objVal(mapOf(objVal(body))), "headers": objVal(mapOf(objVal(header))),
		"securitySchemes": objVal(mapOf(objVal(securitySchemeKind()))), "links": objVal(mapOf(objVal(link))),
		"callbacks": objVal(mapOf(objVal(callback)))}}
	return &kind{name: "OpenAPI", fields: fields("openapi", map[string]*val{
		"info": objVal(infoKind()), "servers": listOf(server), "paths": objVal(paths),
		"components": objVal(components), "security": listOf(secReq),
		"tags": listOf(&kind{name: "Tag", done: needs("name"), fields: fields("name description",
			map[string]*val{"externalDocs": objVal(extDocs)})}),
		"externalDocs": objVal(extDocs)})}
}

// fields makes a field table: the space-separated scalar keys, plus extra.
func fields(scalars string, extra map[string]*val) map[string]*val {
	m := map[string]*val{}
	for _, f := range strings.Fields(scalars) {
		m[f] = scalarVal
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func infoKind() *kind {
	contact := &kind{name: "Contact", fields: fields("name url email", nil)}
	license := &kind{name: "License", fields: fields("name url", nil)}
	return &kind{name: "Info", fields: fields("title description termsOfService version",
		map[string]*val{"contact": objVal(contact), "license": objVal(license)})}
}

func serverKind() *kind {
	v := &kind{name: "ServerVariable", fields: fields("default description", map[string]*val{"enum": strList})}
	return &kind{name: "Server", done: needs("url"), fields: fields("url description",
		map[string]*val{"variables": objVal(mapOf(objVal(v)))})}
}

func securitySchemeKind() *kind {
	flow := &kind{name: "OAuthFlow", fields: fields("authorizationUrl tokenUrl refreshUrl",
		map[string]*val{"scopes": objVal(mapOf(scalarVal))})}
	flows := &kind{name: "OAuthFlows", fields: map[string]*val{"implicit": objVal(flow),
		"password": objVal(flow), "clientCredentials": objVal(flow), "authorizationCode": objVal(flow)}}
	return &kind{name: "SecurityScheme", done: needs("type"), fields: fields(
		"type description name in scheme bearerFormat openIdConnectUrl", map[string]*val{"flows": objVal(flows)})}
}

// needs returns a done check: the object has $ref or all the keys.
func needs(keys ...string) func(o *object) bool {
	return func(o *object) bool {
		if o.has("$ref") {
			return true
		}
		for _, k := range keys {
			if !o.has(k) {
				return false
			}
		}
		return true
	}
}

func nonEmpty(o *object) bool { return len(o.keys) > 0 }
