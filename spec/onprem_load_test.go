package spec_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// This file checks that the on-premises reconstruction loads through
// spec.Load and builds a validator, strict and with its overlay, and that
// the overlay applies completely.

const (
	onpremFile   = "whatsapp-business-api-onprem.yaml"
	onpremErrata = "whatsapp-business-api-onprem.errata.yaml"
)

func onpremLoad(t *testing.T, errata string) (*spec.Doc, *validate.Validator) {
	t.Helper()
	d, err := spec.Load(spec.Options{File: onpremFile, Errata: errata})
	if err != nil {
		t.Fatalf("spec.Load(%s, errata %s): %v", onpremFile, errata, err)
	}
	v, err := validate.New(d, validate.Dialect(onprem.New()))
	if err != nil {
		t.Fatalf("validate.New (errata %s): %v", errata, err)
	}
	return d, v
}

var onpremJSON = http.Header{"Content-Type": {"application/json"}}

// TestOnpremStrictLoadsAndBuildsValidator: the page as published loads and
// compiles. It declares no responses, so a documented login answer is an
// undeclared status, and its first server has no /v1 base path.
func TestOnpremStrictLoadsAndBuildsValidator(t *testing.T) {
	d, v := onpremLoad(t, spec.ErrataNone)
	if !d.Errata.Strict() || d.BasePath() != "" {
		t.Errorf("strict: errata %+v, base path %q; want none and \"\" (first server http://whatsapp.local)", d.Errata, d.BasePath())
	}
	if id, ok := v.OperationID("POST", "/users/login"); !ok || id != "POST /users/login" {
		t.Errorf("OperationID(POST /users/login) = %q, %v", id, ok)
	}
	// kin-openapi's first complaint about the page as published: E8's defect.
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], `invalid default`) {
		t.Errorf("strict warnings = %q, want kin-openapi's invalid default (max_concurrent_requests)", d.Warnings)
	}
	fs := v.Response("POST", "/users/login", 200, onpremJSON, []byte(`{"users":[{"token":"t"}]}`))
	if len(fs) != 1 || fs[0].Code != validate.CodeStatusUndeclared {
		t.Errorf("strict login 200: %v, want one %s", fs, validate.CodeStatusUndeclared)
	}
}

// onpremActionCount counts the overlay's actions with the overlay parser.
func onpremActionCount(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile(onpremErrata)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := libopenapi.NewOverlayDocument(data)
	if err != nil {
		t.Fatalf("parse %s: %v", onpremErrata, err)
	}
	return len(ov.Actions)
}

// TestOnpremErrataApplyCompletely: every action of the overlay matches (no
// unmatched action), each cites where its fact comes from, and the result
// builds a validator routed under /v1.
func TestOnpremErrataApplyCompletely(t *testing.T) {
	d, v := onpremLoad(t, onpremErrata)
	if n := onpremActionCount(t); len(d.Errata.Applied) != n || len(d.Errata.Unmatched) != 0 {
		t.Errorf("applied %d of %d actions; unmatched %+v", len(d.Errata.Applied), n, d.Errata.Unmatched)
	}
	for _, a := range d.Errata.Applied {
		if !onpremCites(a.Description) {
			t.Errorf("action %s: description cites no source: %q", a.Target, a.Description)
		}
	}
	// Left as published (ONPREM-DEFECTS.md): 44 operations have no responses.
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "value of responses must be an object") {
		t.Errorf("errata warnings = %q, want only kin-openapi's missing responses", d.Warnings)
	}
	if d.BasePath() != "/v1" || v.BasePath() != "/v1" {
		t.Errorf("base path %q, want /v1 (S1 removes http://whatsapp.local)", d.BasePath())
	}
	if id, ok := v.OperationID("POST", "/v1/messages"); !ok || id != "POST /messages" {
		t.Errorf("OperationID(POST /v1/messages) = %q, %v", id, ok)
	}
}

// onpremCites reports whether an overlay description names a source (a
// Meta page, Meta's SDK, a secondary source, or the page's own contradicting
// text), or is a later part of a multi-part erratum whose first part does.
func onpremCites(desc string) bool {
	for _, s := range []string{"developers.facebook.com", "Node.js SDK", "github.com/", "secondary", "the page's own", "part 2 of", "part 3 of", "part 4 of"} {
		if strings.Contains(desc, s) {
			return true
		}
	}
	return false
}
