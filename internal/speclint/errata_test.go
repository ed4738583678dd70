package speclint

import (
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/spec"
)

func lintModica(t *testing.T, errata bool) *Report {
	t.Helper()
	opts := Options{}
	if errata {
		opts = Options{Errata: modicaspec.Errata(), ErrataSource: "shipped"}
	}
	r, err := Lint(Input{Path: modicaspec.Source.Name, Data: modicaspec.Published()}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func find(r *Report, code, pointer string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Code == code && f.Pointer == pointer {
			return f, true
		}
	}
	return Finding{}, false
}

// TestModicaErrataAnnotations checks that the findings the shipped errata
// fix name their erratum, and that the others do not.
func TestModicaErrataAnnotations(t *testing.T) {
	r := lintModica(t, true)
	for _, c := range []struct{ code, pointer, erratum string }{
		{"pattern-rejected-by-ecma", "/components/schemas/MessageCommon/properties/source/pattern", "E1."},
		{"pattern-escaped-bracket", "/components/schemas/MessageCommon/properties/source/pattern", "E1."},
		{"conflicting-limits", "/components/schemas/MessageDestination/properties/to/maxLength", "E2."},
		{"pattern-rejected-by-ecma", "/components/schemas/APIError/properties/description/pattern", "E3."},
		{"enum-mismatch", "/components/schemas/MediaMimeType/enum", "E4."},
		{"example-status-mismatch", "/components/responses/TooManyRequests/content/application~1json/example/statusCode", "E9."},
		{"callback-expression-invalid", "/paths/~1messages/post/callbacks/messageCallback/{$statusCallbackUrl}", ""},
		{"missing-4xx-response", "/paths/~1messages~1broadcast/post/responses", "E10."},
		{"tag-undeclared", "/paths/~1source/post/tags/0", ""},
		{"format-type-mismatch", "/components/schemas/MessageTemplate/allOf/2/properties/template/properties/buttons/items/properties/index/format", ""},
		{"format-unknown", "/components/schemas/MessageCommon/properties/reference/format", ""},
		{"error-schema-open", "/components/schemas/APIErrorResponse", ""},
		{"request-body-not-required", "/components/requestBodies/RequestMessagesPost", ""},
		{"security-scheme-no-description", "/components/securitySchemes/BasicAuth", ""},
		{"operation-id-missing", "/paths/~1messages/post/callbacks/messageCallback/{$statusCallbackUrl}/post", ""},
		{"example-contradicts-schema", "/components/responses/Unauthorized/content/application~1json/example", ""},
	} {
		f, ok := find(r, c.code, c.pointer)
		if !ok {
			t.Errorf("no %s at %s", c.code, c.pointer)
			continue
		}
		switch {
		case c.erratum == "" && f.Errata != "":
			t.Errorf("%s at %s: unexpected errata note %q", c.code, c.pointer, f.Errata)
		case c.erratum != "" && !strings.HasPrefix(f.Errata, "fixed by erratum: "+c.erratum):
			t.Errorf("%s at %s: errata %q, want erratum %s", c.code, c.pointer, f.Errata, c.erratum)
		}
	}
	if !r.HasErrors() || r.Summary.FixedByErrata == 0 {
		t.Errorf("summary %+v: want errors and fixed findings", r.Summary)
	}
}

func TestNoErrataNoAnnotations(t *testing.T) {
	r := lintModica(t, false)
	if r.Errata != "none" || r.Summary.FixedByErrata != 0 {
		t.Errorf("errata %q, fixed %d; want none, 0", r.Errata, r.Summary.FixedByErrata)
	}
	// Line numbers are the published file's.
	f, ok := find(r, "pattern-rejected-by-ecma", "/components/schemas/MessageCommon/properties/source/pattern")
	if !ok {
		t.Fatal("missing E1 finding")
	}
	lines := strings.Split(string(modicaspec.Published()), "\n")
	if got := strings.TrimSpace(lines[f.Location.Line-1]); !strings.HasPrefix(got, "pattern:") {
		t.Errorf("location %s points at %q, want the pattern line", f.Location, got)
	}
}

func TestLintRejectsNonMapping(t *testing.T) {
	for _, doc := range []string{"- a\n- b\n", "key: [unclosed\n"} {
		if _, err := Lint(Input{Path: "x.yaml", Data: []byte(doc)}, Options{}); err == nil {
			t.Errorf("%q: no error", doc)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	if _, _, err := Load(Source{Embedded: modicaspec.Source, File: "testdata/does-not-exist.yaml"}); err == nil || !strings.Contains(err.Error(), "does-not-exist.yaml") {
		t.Errorf("missing file: %v", err)
	}
	if _, _, err := Load(Source{Embedded: modicaspec.Source, Errata: "testdata/does-not-exist.yaml"}); err == nil {
		t.Error("missing errata file: no error")
	}
	in, opts, err := Load(Source{Embedded: modicaspec.Source})
	if err != nil || in.Path != modicaspec.Source.Name || len(opts.Errata) == 0 {
		t.Errorf("default: %v %q errata %d bytes", err, in.Path, len(opts.Errata))
	}
	if _, opts, _ := Load(Source{Embedded: modicaspec.Source, Errata: spec.ErrataNone}); len(opts.Errata) != 0 {
		t.Error("--errata none still loads errata")
	}
}
