package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// Check names. The first eight are Schemathesis's names for the same
// checks (docs/probe.md compares them); the last two are wabcheck's.
const (
	CheckNotAServerError        = "not_a_server_error"
	CheckStatusCodeConformance  = "status_code_conformance"
	CheckResponseSchema         = "response_schema_conformance"
	CheckNegativeDataRejection  = "negative_data_rejection"
	CheckPositiveDataAcceptance = "positive_data_acceptance"
	CheckIgnoredAuth            = "ignored_auth"
	CheckUnsupportedMethod      = "unsupported_method"
	CheckMaxResponseTime        = "max_response_time"
	CheckResourceAvailability   = "ensure_resource_availability"
	CheckResourceConsistency    = "resource_consistency"
	CheckDeliveryReceipts       = "delivery_receipts"
)

// failure is one check an exchange failed.
type failure struct {
	check   string
	rule    string        // what was broken: the case's rule, or the answer's
	loc     spec.Location // where that rule sits in the spec
	where   string
	message string
}

// evaluate applies every check that concerns ex's case; it returns the
// checks applied and those failed.
func (r *runner) evaluate(ex *exchange) ([]string, []failure) {
	c := ex.c
	var applied []string
	var fails []failure
	run := func(name string, f func() []failure) {
		applied = append(applied, name)
		fails = append(fails, f()...)
	}
	if ex.err != nil {
		run(CheckNotAServerError, func() []failure {
			return []failure{r.caseFailure(c, CheckNotAServerError, "no answer: "+ex.err.Error())}
		})
		return applied, fails
	}
	run(CheckNotAServerError, func() []failure { return r.serverError(ex) })
	if c.Kind != Method {
		findings := r.v.Response(c.Method, r.specPath(ex), ex.status, ex.header, ex.answer)
		run(CheckStatusCodeConformance, func() []failure { return statusFailures(findings) })
		run(CheckResponseSchema, func() []failure { return schemaFailures(findings) })
	}
	if ex.limited {
		return applied, fails // a 429 says nothing about the case
	}
	if name, f := r.kindCheck(c); name != "" {
		run(name, func() []failure { return f(ex) })
	}
	if r.o.MaxLatency > 0 {
		run(CheckMaxResponseTime, func() []failure { return r.latency(ex) })
	}
	return applied, fails
}

// specPath is the request path relative to the target's base, which the
// validator routes (the target's base path may differ from the spec's).
func (r *runner) specPath(ex *exchange) string {
	p := ex.c.op.path
	for _, prm := range ex.c.op.params {
		if v, ok := ex.c.params[prm.where()]; ok && prm.in == "path" {
			p = replacePathParam(p, prm.name, v)
		}
	}
	return p
}

// kindCheck is the check a case's kind calls for.
func (r *runner) kindCheck(c *Case) (string, func(*exchange) []failure) {
	switch c.Kind {
	case Negative:
		return CheckNegativeDataRejection, r.rejected
	case Positive:
		return CheckPositiveDataAcceptance, r.accepted
	case Auth:
		return CheckIgnoredAuth, r.authEnforced
	case Method:
		return CheckUnsupportedMethod, r.methodRefused
	case Linked:
		return CheckResourceAvailability, r.available
	}
	return "", nil
}

func (r *runner) caseFailure(c *Case, check, msg string) failure {
	return failure{check: check, rule: c.Rule, loc: r.o.Doc.Locate(c.RulePtr), where: c.Where, message: msg}
}

func (r *runner) serverError(ex *exchange) []failure {
	if ex.status < 500 {
		return nil
	}
	return []failure{r.caseFailure(ex.c, CheckNotAServerError, fmt.Sprintf("answered %d to %s", ex.status, ex.c.Name))}
}

// rejected: a negative case must get a 4XX (5XX is not_a_server_error's).
// A batch item the answer rejects on its own counts as rejected.
func (r *runner) rejected(ex *exchange) []failure {
	if ex.status >= 400 {
		return nil
	}
	if ex.c.itemPtr != "" && ex.status < 300 && r.o.itemRejected(ex.c.Operation, ex.c.itemPtr, ex.answer) {
		return nil
	}
	return []failure{r.caseFailure(ex.c, CheckNegativeDataRejection,
		fmt.Sprintf("accepted (%d) a request that breaks %s: %s", ex.status, ex.c.Rule, ex.c.Name))}
}

// accepted: a positive case must get a 2XX; 404 is honest where the case
// holds a generated resource id, and 5XX is not_a_server_error's.
func (r *runner) accepted(ex *exchange) []failure {
	switch {
	case ex.status >= 200 && ex.status < 300, ex.status >= 500:
		return nil
	case ex.status == http.StatusNotFound && ex.c.unlinked:
		return nil
	}
	return []failure{r.caseFailure(ex.c, CheckPositiveDataAcceptance,
		fmt.Sprintf("refused (%d) a request the spec allows: %s", ex.status, ex.c.Name))}
}

func (r *runner) authEnforced(ex *exchange) []failure {
	if ex.status == http.StatusUnauthorized || ex.status == http.StatusForbidden || ex.status >= 500 {
		return nil
	}
	return []failure{r.caseFailure(ex.c, CheckIgnoredAuth, fmt.Sprintf("answered %d to a request %s; want 401 or 403", ex.status, ex.c.Name))}
}

func (r *runner) methodRefused(ex *exchange) []failure {
	switch {
	case ex.status >= 500:
		return nil
	case ex.status != http.StatusMethodNotAllowed:
		return []failure{r.caseFailure(ex.c, CheckUnsupportedMethod, fmt.Sprintf("answered %d to %s; want 405 with Allow", ex.status, ex.c.Name))}
	case ex.header.Get("Allow") == "":
		return []failure{r.caseFailure(ex.c, CheckUnsupportedMethod, "answered 405 without an Allow header (RFC 9110)")}
	}
	return nil
}

// available: a link's target must answer 2XX for the resource the source
// just created, with the same id (Echo) or the same bytes.
func (r *runner) available(ex *exchange) []failure {
	c := ex.c
	if ex.status < 200 || ex.status >= 300 {
		if ex.status >= 500 {
			return nil
		}
		return []failure{r.caseFailure(c, CheckResourceAvailability, fmt.Sprintf("answered %d for %v, which %s just returned", ex.status, c.linkValue, c.link.From))}
	}
	return r.consistent(ex)
}

func (r *runner) consistent(ex *exchange) []failure {
	c, l := ex.c, ex.c.link
	bad := func(msg string) []failure {
		f := r.caseFailure(c, CheckResourceConsistency, msg)
		return []failure{f}
	}
	if l.Echo != "" {
		var v any
		if json.Unmarshal(ex.answer, &v) != nil {
			return bad("the answer is not JSON, so " + l.Echo + " cannot name the resource")
		}
		got, ok := spec.ValueAt(v, l.Echo)
		if !ok || fmt.Sprint(got) != fmt.Sprint(c.linkValue) {
			return bad(fmt.Sprintf("asked for %v, the answer's %s is %v", c.linkValue, l.Echo, got))
		}
	}
	if l.SameBytes && !bytes.Equal(ex.answer, c.linkFrom) {
		return bad(fmt.Sprintf("downloaded %d bytes that differ from the %d bytes uploaded", len(ex.answer), len(c.linkFrom)))
	}
	return nil
}

func (r *runner) latency(ex *exchange) []failure {
	if ex.dur <= r.o.MaxLatency {
		return nil
	}
	return []failure{{check: CheckMaxResponseTime, rule: "max latency " + r.o.MaxLatency.String(), where: "answer",
		message: fmt.Sprintf("answered in %v, over the budget of %v", ex.dur.Round(1e6), r.o.MaxLatency)}}
}

// statusFailures and schemaFailures split the validator's findings on the
// answer: an undeclared status, and everything else (headers, content
// type, body).
func statusFailures(fs []validate.Finding) []failure {
	var out []failure
	for _, f := range fs {
		if f.Code == validate.CodeStatusUndeclared {
			out = append(out, failure{check: CheckStatusCodeConformance, rule: "responses: " + strconv.Itoa(f.Status) + " undeclared",
				loc: f.Spec, where: "status", message: f.Message})
		}
	}
	return out
}

func schemaFailures(fs []validate.Finding) []failure {
	var out []failure
	for _, f := range fs {
		if f.Code == validate.CodeStatusUndeclared {
			continue
		}
		rule := f.Code + " " + f.Where + " " + f.Pointer
		if f.Rule != "" {
			rule += " [" + f.Rule + "]"
		}
		out = append(out, failure{check: CheckResponseSchema, rule: rule, loc: f.Spec, where: f.Where + f.Pointer,
			message: fmt.Sprintf("%d answer: %s", f.Status, f.Message)})
	}
	return out
}

func replacePathParam(path, name, val string) string {
	return strings.ReplaceAll(path, "{"+name+"}", val)
}
