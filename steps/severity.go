package steps

import (
	"strings"

	"github.com/wabcheck/wabcheck/internal/validate"
)

// split separates the findings that fail a step from warnings. An
// undeclared 4xx status is a warning when the operation declares no 4XX
// range (nor default): the published spec's POST /messages/broadcast has
// 401 and 429 but no 4XX, so a server rejecting an invalid broadcast has no
// status to use (erratum E10 adds 4XX; this matters in strict mode,
// --errata none, and for other specs with the same gap). OpenAPI does not
// require every status to be listed, so the gap is reported, not failed. Every
// other undeclared status (200 where 202 is declared, 503 where 500 is,
// a header or body departure) fails.
func (e *Env) split(fs []validate.Finding) (fail, warn []validate.Finding) {
	for _, f := range fs {
		if f.Code == validate.CodeStatusUndeclared && f.Status/100 == 4 && !e.rangeDeclared(f.Operation, 4) {
			warn = append(warn, f)
			continue
		}
		fail = append(fail, f)
	}
	return fail, warn
}

// rangeDeclared reports whether operation op declares the range class
// (4 for 4XX) or a default response.
func (e *Env) rangeDeclared(op string, class int) bool {
	e.classesOnce.Do(e.buildClasses)
	c, ok := e.classes[op]
	if !ok {
		return true // unknown operation: keep the finding
	}
	return c[class] || c[0]
}

func (e *Env) buildClasses() {
	e.classes = map[string]map[int]bool{}
	if e.Doc == nil || e.Doc.T == nil || e.Doc.T.Paths == nil {
		return
	}
	for _, item := range e.Doc.T.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == "" || op.Responses == nil {
				continue
			}
			c := map[int]bool{}
			for code := range op.Responses.Map() {
				code = strings.ToUpper(code)
				switch {
				case code == "DEFAULT":
					c[0] = true
				case len(code) == 3 && strings.HasSuffix(code, "XX"):
					c[int(code[0]-'0')] = true
				}
			}
			e.classes[op.OperationID] = c
		}
	}
}
