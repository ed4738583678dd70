package probe

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/spec"
)

// authCases: without credentials, and with wrong ones.
func (pl *planner) authCases(op *operation) []*Case {
	if !op.secured {
		return nil
	}
	var out []*Case
	for _, a := range []struct {
		auth int
		name string
	}{{authMissing, "without credentials"}, {authWrong, "with wrong credentials"}} {
		c := pl.base(op, 0, typical)
		c.Phase, c.Kind, c.auth, c.Name, c.Where = PhaseCoverage, Auth, a.auth, a.name, "credentials"
		c.Rule, c.RulePtr = "security: "+op.schemes, op.secPtr
		if pl.keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// requestCases break the body as a whole: malformed, with a Content-Type
// the spec does not declare, and empty.
func (pl *planner) requestCases(op *operation) []*Case {
	m := pl.media(op)
	if m == nil {
		return nil
	}
	base := pl.base(op, 0, typical)
	typicalBody, _, err := encode(base)
	if err != nil {
		return nil
	}
	declared := "content: " + strings.Join(op.body.types(), ", ")
	var out []*Case
	add := func(c *Case) {
		if pl.keep(c) {
			out = append(out, c)
		}
	}
	if m.isJSON() && len(typicalBody) > 1 {
		add(pl.rawCase(base, Negative, "malformed JSON (the body cut short by one byte)", declared, m.ptr, "body",
			typicalBody[:len(typicalBody)-1], m.typ, rawCut))
	}
	if m.isMultipart() {
		add(pl.rawCase(base, Negative, "malformed multipart body (no closing boundary)", declared, m.ptr, "body",
			[]byte("--"+boundary+"\r\nbroken"), "multipart/form-data; boundary="+boundary, rawFixed))
	}
	wrongType, wrongBody, kind := "text/plain", typicalBody, rawWhole
	if !m.isJSON() {
		wrongType, wrongBody, kind = "application/json", []byte("{}"), rawFixed
	}
	add(pl.rawCase(base, Negative, "Content-Type "+wrongType+" (not declared)", declared, op.body.ptr+"/content",
		"header Content-Type", wrongBody, wrongType, kind))
	add(pl.emptyCase(op, base, m))
	return out
}

// rawCase is a case that sends raw bytes.
// A fixed raw body (a broken multipart one) cannot be judged by the
// validator, which reads no multipart parts.
func (pl *planner) rawCase(base *Case, kind Kind, name, rule, rulePtr, where string, raw []byte, ct string, rawKind int) *Case {
	c := base.clone()
	c.Phase, c.Kind, c.Name, c.Rule, c.RulePtr, c.Where = PhaseCoverage, kind, name, rule, rulePtr, where
	c.raw, c.useRaw, c.contentType, c.rawKind = raw, true, ct, rawKind
	c.noCheck = rawKind == rawFixed && strings.HasPrefix(ct, "multipart/")
	return c
}

// emptyCase sends no body: negative when the spec requires one, an edge
// case when it leaves it optional (specs routinely omit `required: true`).
func (pl *planner) emptyCase(op *operation, base *Case, m *media) *Case {
	c := base.clone()
	c.Phase, c.Name, c.Where = PhaseCoverage, "an empty body", "body"
	c.hasBody, c.body, c.contentType, c.genFailed = false, nil, m.typ, false
	if op.body.required {
		c.Kind, c.Rule, c.RulePtr = Negative, "requestBody: required", op.body.ptr+"/required"
	} else {
		c.Kind, c.Rule, c.RulePtr = Edge, "requestBody: optional", op.body.ptr
	}
	return c
}

// types lists the declared media types.
func (b *reqBody) types() []string {
	out := make([]string, len(b.media))
	for i, m := range b.media {
		out[i] = m.typ
	}
	return out
}

// exampleCases send each example of the body, and one request with every
// parameter example (positive; examples the validator rejects are
// dropped).
func (pl *planner) exampleCases(op *operation) []*Case {
	out := pl.paramExampleCase(op)
	m := pl.media(op)
	if m == nil || m.isMultipart() {
		return out
	}
	for _, ex := range m.examples {
		c := pl.base(op, 0, typical)
		c.body = clone(ex.value)
		c.Phase, c.Name, c.Rule = PhaseExamples, "example "+ex.name, "example: "+ex.name
		c.RulePtr, c.Where = m.ptr+"/examples/"+spec.EscapeToken(ex.name), "body"
		if ex.name == "example" {
			c.RulePtr = m.ptr + "/example"
		}
		pl.ensureRecipient(c)
		if pl.keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// paramExampleCase is the typical request with each parameter's example.
func (pl *planner) paramExampleCase(op *operation) []*Case {
	c := pl.base(op, 0, typical)
	n := 0
	for _, p := range op.params {
		if p.example != nil {
			c.params[p.where()] = paramString(p.example)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	c.Phase, c.Name, c.Rule, c.RulePtr, c.Where = PhaseExamples, "the parameters' examples", "example: parameters", op.ptr+"/parameters", "parameters"
	if pl.keep(c) {
		return []*Case{c}
	}
	return nil
}

// branchCases: one typical request per oneOf branch (or one typical
// request).
func (pl *planner) branchCases(op *operation) []*Case {
	m := pl.media(op)
	var bs []node
	if m != nil {
		bs = firstBranches(m)
	}
	var out []*Case
	for b := range max(len(bs), 1) {
		c := pl.base(op, b, typical)
		c.Phase, c.Name, c.Rule, c.RulePtr, c.Where = PhaseCoverage, "a typical request", "typical", op.ptr, "request"
		if len(bs) > 0 {
			c.Name = "a typical request of branch " + branchName(bs[b])
			c.Rule, c.RulePtr, c.Where = "oneOf: "+branchName(bs[b]), bs[b].ptr, "body"
		}
		if pl.keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// methodCases: one method the path does not declare, once per path (on
// its first operation); 405 with Allow is expected.
func (pl *planner) methodCases(op *operation) []*Case {
	item := pl.o.Doc.T.Paths.Value(op.path)
	if item == nil {
		return nil
	}
	declared := item.Operations()
	var first string
	for m := range declared {
		if first == "" || strings.ToUpper(m) < first {
			first = strings.ToUpper(m)
		}
	}
	if first != op.method {
		return nil
	}
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodPost, http.MethodGet} {
		if declared[m] != nil {
			continue
		}
		c := pl.base(op, 0, typical)
		c.Method, c.hasBody, c.body, c.contentType = m, false, nil, ""
		c.Phase, c.Kind, c.Name, c.Where = PhaseCoverage, Method, "method "+m+" (not declared for "+op.path+")", "method"
		c.Rule, c.RulePtr = "methods: "+strings.Join(sortedMethods(declared), ", "), "/paths/"+spec.EscapeToken(op.path)
		if pl.keep(c) {
			return []*Case{c}
		}
		return nil
	}
	return nil
}

// paramVariants: each required parameter missing, a wrong type where the
// type is not a string, and the leaf variants of its schema.
func (pl *planner) paramVariants(op *operation) []variant {
	var out []variant
	for _, p := range op.params {
		where := p.where()
		if p.required && p.in != "path" {
			out = append(out, variant{kind: Negative, rule: "required: " + p.name, rulePtr: p.ptr + "/required", where: where,
				name: "without required " + where, mut: mutation{in: where, del: true, mixWith: -1}})
		}
		if t := typeOf(p.n); t != tString && t != "" {
			out = append(out, neg("type: "+t, p.n.at("type"), where, "", "wabcheck", fmt.Sprintf("text instead of a %s", t)))
		}
		if p.n.s != nil {
			out = append(out, pl.leafVariants(p.n, where, "")...)
		}
	}
	return out
}

// ensureRecipient gives a send a recipient when its body names none (the
// specs leave recipients optional; a send without one is refused for
// that, not for the rule a case breaks), and puts the --to numbers in
// against a real target.
func (pl *planner) ensureRecipient(c *Case) {
	rps, ok := pl.o.sends(c.Operation)
	m := pl.media(c.op)
	if !ok || !c.hasBody || m == nil {
		return
	}
	pl.putSender(c, m)
	present := false
	for _, rp := range rps {
		if _, ok := spec.ValueAt(c.body, rp); ok {
			present = true
			pl.putRecipient(c, m, rp)
		}
	}
	for _, rp := range rps {
		if present {
			return
		}
		if n, ok := schemaAt(m.n, c.branch, rp); ok {
			if v, ok := pl.g.value(n, typical, 0); ok {
				c.body, _ = setAt(c.body, rp, v, false)
				pl.putRecipient(c, m, rp)
				present = true
			}
		}
	}
}

// putSender puts --from in the send's sender fields that the body has or
// its schema declares (a real target only: the simulator takes any
// well-formed sender).
func (pl *planner) putSender(c *Case, m *media) {
	if pl.o.Simulated || pl.o.From == "" || !c.hasBody {
		return
	}
	for _, sp := range pl.o.senders(c.Operation) {
		_, present := spec.ValueAt(c.body, sp)
		if _, declared := schemaAt(m.n, c.branch, sp); present || declared {
			c.body, _ = setAt(c.body, sp, pl.o.From, false)
		}
	}
}

// putRecipient replaces the recipient at rp with the --to numbers (a real
// target only).
func (pl *planner) putRecipient(c *Case, m *media, rp string) {
	if pl.o.Simulated || len(pl.o.To) == 0 {
		return
	}
	n, ok := schemaAt(m.n, c.branch, rp)
	if !ok {
		return
	}
	var v any = pl.o.To[0]
	if typeOf(n) == tArray {
		arr := make([]any, len(pl.o.To))
		for i, t := range pl.o.To {
			arr[i] = t
		}
		v = arr
	}
	c.body, _ = setAt(c.body, rp, v, false)
}

func sortedMethods[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, strings.ToUpper(k))
	}
	sortStrings(out)
	return out
}
