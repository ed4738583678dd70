package validate

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/spec"
)

// Validator checks requests, responses and callbacks against one spec. It
// is built once by New and is safe for concurrent use.
type Validator struct {
	doc       *spec.Doc
	base      string
	exact     map[string]*pathEntry
	templated []*pathEntry
	ptrs      map[*openapi3.Schema]string
	fastNodes map[*openapi3.Schema]*fastNode
	kinSafe   map[*openapi3.Schema]*openapi3.Schema // what kin-openapi checks in a schema's place
	callbacks map[Kind]*callbackSpec
	kinds     []string // the callback kinds compiled, in the dialect's order
	fast      []openapi3.SchemaValidationOption
	full      []openapi3.SchemaValidationOption
	locs      *sync.Map // spec pointer → spec.Location
}

// Dialect tells New the callback kinds of d (Callbacks of its model).
func Dialect(d dialect.Dialect) Option {
	return Callbacks(append([]dialect.CallbackKind(nil), d.Callbacks().Kinds()...))
}

// CallbackKinds names the callback kinds the spec declares and New
// compiled, in the order they were given: the callback cells of spec
// coverage.
func (v *Validator) CallbackKinds() []string { return slices.Clone(v.kinds) }

// Option configures New.
type Option func(*config)

type config struct {
	callbacks []dialect.CallbackKind
	named     bool // Callbacks (or Dialect) was given
}

// Callbacks tells New which spec callback validates each callback kind of
// a dialect (a callback named by its key under an operation's `callbacks`
// and, optionally, its expression). New requires it (or Dialect): callback
// kinds are never guessed from a spec, so a caller that forgets them gets
// an error, not callbacks silently left unchecked. Callbacks(nil) says
// there are none.
func Callbacks(kinds []dialect.CallbackKind) Option {
	return func(c *config) { c.callbacks, c.named = kinds, true }
}

// ErrNoCallbackKinds is New's error when no option names the callback
// kinds.
var ErrNoCallbackKinds = errors.New("validate: no callback kinds given (pass validate.Dialect(d) or validate.Callbacks(kinds))")

// New compiles doc into a Validator: a router over doc.T.Paths relative to
// doc.BasePath() (any host; see WithBase), per-operation parameter, body
// and response state, the spec pointer of every schema (for Finding.Spec),
// and the request bodies of the callbacks the options name. An option
// naming the callback kinds (Dialect or Callbacks) is required.
func New(doc *spec.Doc, opts ...Option) (*Validator, error) {
	if doc == nil || doc.T == nil {
		return nil, errors.New("validate: no spec model (spec.Doc.T is nil)")
	}
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if !cfg.named {
		return nil, ErrNoCallbackKinds
	}
	formats := map[string]openapi3.StringFormatValidator{"uuid": uuidFormat{}}
	v := &Validator{
		doc:       doc,
		base:      doc.BasePath(),
		exact:     map[string]*pathEntry{},
		callbacks: map[Kind]*callbackSpec{},
		locs:      &sync.Map{},
		fast:      []openapi3.SchemaValidationOption{openapi3.FailFast(), openapi3.WithStringFormatValidators(formats)},
		full:      []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.WithStringFormatValidators(formats)},
	}
	b := &builder{ptrs: map[*openapi3.Schema]string{}}
	b.walkComponents(doc.T.Components)
	if doc.T.Paths == nil {
		return nil, errors.New("validate: the spec has no paths")
	}
	for _, tmpl := range doc.T.Paths.InMatchingOrder() {
		item := doc.T.Paths.Value(tmpl)
		if item == nil {
			continue
		}
		pe, err := v.buildPath(b, tmpl, item)
		if err != nil {
			return nil, err
		}
		if pe.segs == nil {
			v.exact[tmpl] = pe
		} else {
			v.templated = append(v.templated, pe)
		}
	}
	if err := v.addCallbacks(b, cfg.callbacks); err != nil {
		return nil, err
	}
	for _, k := range cfg.callbacks {
		if v.callbacks[Kind(k.Name)] != nil && !slices.Contains(v.kinds, k.Name) {
			v.kinds = append(v.kinds, k.Name)
		}
	}
	if err := v.compileSchemas(b, formats); err != nil {
		return nil, err
	}
	return v, nil
}

// compileSchemas checks the schema graph (unresolved $refs and cycles that
// break a schema are errors), makes the copies kin-openapi checks values
// against, and compiles the fast path.
func (v *Validator) compileSchemas(b *builder, formats map[string]openapi3.StringFormatValidator) error {
	roots := slices.SortedFunc(maps.Keys(b.ptrs), func(x, y *openapi3.Schema) int { return strings.Compare(b.ptrs[x], b.ptrs[y]) })
	kg := newKinGraph(roots, b.ptrs)
	if err := kg.check(b.unresolved, v.locate); err != nil {
		return err
	}
	v.ptrs = b.ptrs
	empty := kg.empties()
	v.kinSafe = kg.safeCopies(empty)
	for i, s := range kg.list {
		v.ptrs[v.kinSafe[s]] = kg.g.Nodes[i].Pointer
	}
	fc := newFastCompiler(formats)
	fc.learn(kg, empty)
	v.fastNodes = make(map[*openapi3.Schema]*fastNode, len(roots))
	for _, s := range roots {
		if n := fc.compile(s); n != nil {
			v.fastNodes[s] = n
		}
	}
	return nil
}

// walkComponents records the canonical pointers of every component schema
// first, so that a schema reached through a $ref is named by its component.
func (b *builder) walkComponents(c *openapi3.Components) {
	if c == nil {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(c.Schemas)) {
		b.walkSchema(c.Schemas[name], "/components/schemas/"+spec.EscapeToken(name))
	}
}

func (v *Validator) buildPath(b *builder, tmpl string, item *openapi3.PathItem) (*pathEntry, error) {
	pe := &pathEntry{template: tmpl, ops: map[string]*operation{}}
	if strings.Contains(tmpl, "{") {
		pe.segs = strings.Split(strings.Trim(tmpl, "/"), "/")
	}
	pathPtr := "/paths/" + spec.EscapeToken(tmpl)
	for method, op := range item.Operations() {
		method = strings.ToUpper(method)
		o := b.operation(method, tmpl, pathPtr, item, op)
		pe.ops[method] = o
		pe.allowed = append(pe.allowed, method)
	}
	sort.Strings(pe.allowed)
	return pe, nil
}

func (b *builder) operation(method, tmpl, pathPtr string, item *openapi3.PathItem, op *openapi3.Operation) *operation {
	ptr := pathPtr + "/" + strings.ToLower(method)
	o := &operation{id: op.OperationID, method: method, template: tmpl, ptr: ptr, byCode: map[int]*response{}}
	if o.id == "" {
		o.id = method + " " + tmpl
	}
	seen := map[string]bool{}
	for i, p := range op.Parameters { // operation parameters override path-level ones
		if bp := b.param(p, ptr+"/parameters/"+strconv.Itoa(i)); bp != nil {
			seen[bp.in+" "+bp.name] = true
			o.params = append(o.params, bp)
		}
	}
	for i, p := range item.Parameters {
		if bp := b.param(p, pathPtr+"/parameters/"+strconv.Itoa(i)); bp != nil && !seen[bp.in+" "+bp.name] {
			o.params = append(o.params, bp)
		}
	}
	o.body = b.requestBody(op.RequestBody, ptr+"/requestBody")
	if op.Responses != nil {
		for key, ref := range op.Responses.Map() {
			if ref != nil {
				o.addResponse(b.response(key, ref, ptr+"/responses/"+spec.EscapeToken(key)))
			}
		}
	}
	return o
}

func (o *operation) addResponse(r *response) {
	switch k := strings.ToUpper(r.key); {
	case k == "DEFAULT":
		o.def = r
	case len(k) == 3 && k[1:] == "XX" && k[0] >= '1' && k[0] <= '5':
		o.ranges[k[0]-'0'] = r
	default:
		if code, err := strconv.Atoi(k); err == nil {
			o.byCode[code] = r
		}
	}
}

// lookup finds the response for status: the explicit code, then its range
// (4XX), then default.
func (o *operation) lookup(status int) *response {
	if r := o.byCode[status]; r != nil {
		return r
	}
	if c := status / 100; c >= 1 && c <= 5 && o.ranges[c] != nil {
		return o.ranges[c]
	}
	return o.def
}

// addCallbacks compiles the request body of each kind's spec callback:
// the first operation (in path order) that declares a callback of that
// name, and its expression (or its first one in sorted order). A kind the
// spec does not declare is left out (HasCallback reports false).
func (v *Validator) addCallbacks(b *builder, kinds []dialect.CallbackKind) error {
	for _, k := range kinds {
		cs, err := v.findCallback(b, k)
		if err != nil {
			return err
		}
		if cs != nil {
			v.callbacks[Kind(k.Name)] = cs
		}
	}
	return nil
}

func (v *Validator) findCallback(b *builder, k dialect.CallbackKind) (*callbackSpec, error) {
	for _, tmpl := range v.doc.T.Paths.InMatchingOrder() {
		item := v.doc.T.Paths.Value(tmpl)
		if item == nil {
			continue
		}
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			ref := op.Callbacks[k.SpecCallback]
			if ref == nil || ref.Value == nil {
				continue
			}
			opPtr := "/paths/" + spec.EscapeToken(tmpl) + "/" + strings.ToLower(method)
			cbPtr := refPtr(ref.Ref, opPtr+"/callbacks/"+spec.EscapeToken(k.SpecCallback))
			return v.callbackSpec(b, k, cbPtr, ref.Value)
		}
	}
	return nil, nil
}

func (v *Validator) callbackSpec(b *builder, k dialect.CallbackKind, cbPtr string, cb *openapi3.Callback) (*callbackSpec, error) {
	expr := k.SpecExpression
	if expr == "" {
		exprs := slices.Sorted(maps.Keys(cb.Map()))
		if len(exprs) == 0 {
			return nil, nil
		}
		expr = exprs[0]
	}
	item := cb.Value(expr)
	if item == nil || item.Post == nil {
		return nil, nil
	}
	ptr := cbPtr + "/" + spec.EscapeToken(expr) + "/post"
	body := b.requestBody(item.Post.RequestBody, ptr+"/requestBody")
	if body == nil {
		return nil, fmt.Errorf("validate: callback %s %s has no requestBody", k.SpecCallback, expr)
	}
	return &callbackSpec{kind: Kind(k.Name), expression: expr, ptr: ptr, body: body}, nil
}

// relPath strips the query and the base path: "/rest/wab/v1/messages?x=1"
// → "/messages". A path without the base path is taken as relative.
func (v *Validator) relPath(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if v.base != "" && strings.HasPrefix(p, v.base) {
		if rest := p[len(v.base):]; rest == "" || rest[0] == '/' {
			p = rest
		}
	}
	if p == "" {
		return "/"
	}
	return p
}

// route finds the path entry for a relative path, and the path parameter
// values when the path is templated.
func (v *Validator) route(rel string) (*pathEntry, map[string]string) {
	if pe := v.exact[rel]; pe != nil {
		return pe, nil
	}
	if len(v.templated) == 0 {
		return nil, nil
	}
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	for _, pe := range v.templated {
		if vals, ok := matchSegs(pe.segs, segs); ok {
			return pe, vals
		}
	}
	return nil, nil
}

func matchSegs(tmpl, segs []string) (map[string]string, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	vals := map[string]string{}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return nil, false
			}
			vals[t[1:len(t)-1]] = segs[i]
			continue
		}
		if t != segs[i] {
			return nil, false
		}
	}
	return vals, true
}

// OperationID returns the operationId for method and path (with or without
// base path and query), and false when no operation matches.
func (v *Validator) OperationID(method, path string) (string, bool) {
	pe, _ := v.route(v.relPath(path))
	if pe == nil {
		return "", false
	}
	o := pe.ops[strings.ToUpper(method)]
	if o == nil {
		return "", false
	}
	return o.id, true
}

// Allowed returns the methods the spec declares for path (sorted), or nil
// when the path is unknown; for an Allow header on 405 answers.
func (v *Validator) Allowed(path string) []string {
	pe, _ := v.route(v.relPath(path))
	if pe == nil {
		return nil
	}
	return append([]string(nil), pe.allowed...)
}

// BasePath is the base path requests are routed under ("/rest/wab/v1").
func (v *Validator) BasePath() string { return v.base }

// WithBase returns a Validator that routes requests under base instead of
// the spec's server path: a vendor may serve the API under another prefix,
// and the target URL's own path is then the base path. The two share all
// compiled state; building a Validator is done once per run.
func (v *Validator) WithBase(base string) *Validator {
	w := *v
	w.base = strings.TrimSuffix(base, "/")
	return &w
}

// locate maps a spec pointer to its location, caching the answer.
func (v *Validator) locate(ptr string) spec.Location {
	if loc, ok := v.locs.Load(ptr); ok {
		return loc.(spec.Location)
	}
	loc := v.doc.Locate(ptr)
	v.locs.Store(ptr, loc)
	return loc
}
