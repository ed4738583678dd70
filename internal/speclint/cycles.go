package speclint

import "github.com/wabcheck/wabcheck/spec"

// checkCycles reports $ref loops and the schema cycles that leave a schema
// without a finite value or recurse on the same value (spec.ScanSchemas:
// the same checks that make wabcheck refuse to load the spec), and, once,
// that the 3.1 keywords of an OpenAPI 3.1 document go unchecked.
func (l *linter) checkCycles() {
	sc := spec.ScanSchemas(l.root)
	for _, loop := range sc.RefLoops {
		l.add("ref-loop", Error, loop.Chain[0]+"/$ref", "", "$ref loop %s: it resolves to nothing, so nothing that uses it can be checked", loop)
	}
	for _, p := range sc.Cycles {
		l.add(p.Code, Error, p.Pointer, "", "%s", p.Message)
	}
	if sc.V31 {
		l.add("openapi-31-unchecked", Info, "/openapi", "", "OpenAPI 3.1 document: %s (lint and validation alike)", sc.Unchecked31())
	}
}
