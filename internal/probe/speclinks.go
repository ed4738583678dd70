package probe

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// specLinks turns a response's OpenAPI links into Links. Only what a probe
// can follow is kept: a target named by operationId and parameters whose
// value is `$response.body#/pointer` (the common case). A parameter name
// may be qualified ("query.id"); In is left empty otherwise and resolved
// against the target operation (resolveLinks).
func specLinks(from string, links openapi3.Links) []Link {
	var out []Link
	for _, name := range slices.Sorted(mapKeys(links)) {
		ref := links[name]
		if ref == nil || ref.Value == nil || ref.Value.OperationID == "" {
			continue
		}
		l := ref.Value
		for _, pname := range slices.Sorted(mapKeys(l.Parameters)) {
			ptr, ok := bodyExpr(l.Parameters[pname])
			if !ok {
				continue
			}
			in, pn := "", pname
			if a, b, ok := strings.Cut(pname, "."); ok && (a == "query" || a == "path" || a == "header") {
				in, pn = a, b
			}
			out = append(out, Link{Label: name, From: from, Value: ptr, To: l.OperationID, In: in, Param: pn})
		}
		if ptr, ok := bodyExpr(l.RequestBody); ok {
			out = append(out, Link{Label: name, From: from, Value: ptr, To: l.OperationID, In: "body", Param: ""})
		}
	}
	return out
}

// bodyExpr reads "$response.body#/pointer".
func bodyExpr(v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	ptr, ok := strings.CutPrefix(s, "$response.body#")
	if !ok {
		return "", false
	}
	if ptr == "" || ptr[0] != '/' {
		return "", ptr == ""
	}
	return ptr, true
}

// resolveLinks completes the spec's links against the operations (In of
// unqualified parameter names) and drops links to unknown operations;
// dialect links follow, those the spec already declares left out. Links
// naming operations the spec lacks are dropped with a note.
func resolveLinks(ops map[string]*operation, spec, dialect []Link) (out []Link, notes []string) {
	seen := map[string]bool{}
	for _, l := range append(append([]Link(nil), spec...), dialect...) {
		to := ops[l.To]
		if to == nil || (l.From != "" && ops[l.From] == nil) {
			notes = append(notes, fmt.Sprintf("link %q (%s → %s) not followed: the spec has no such operation", l.Label, l.From, l.To))
			continue
		}
		if l.In == "" {
			for _, p := range to.params {
				if p.name == l.Param {
					l.In = p.in
				}
			}
		}
		key := l.From + l.Value + l.To + l.In + l.Param
		if l.In == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, l)
	}
	return out, notes
}
