package probe

import (
	"sort"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/validate"
)

// TestPlantedAcceptancesOneFindingEach is the done-means: a target
// that accepts what its spec forbids (overlong text, a bad enum value, a
// missing required field, an undeclared property) gets one finding per
// planted acceptance, each with its rule, its spec location and a curl
// line; nothing else is reported.
func TestPlantedAcceptancesOneFindingEach(t *testing.T) {
	doc := notesDoc(t)
	srv := newNotesServer(t, doc)
	srv.plant = func(f validate.Finding) bool {
		switch {
		case f.Pointer == "/text" && strings.HasPrefix(f.Rule, "maxLength"):
		case f.Pointer == "/kind" && strings.HasPrefix(f.Rule, "enum") && strings.Contains(f.Message, `got "`):
			// a string outside the enum (kin-openapi reports a number
			// there as an enum violation too, which is no planted bug)
		case f.Rule == "required: kind", f.Rule == "additionalProperties: false":
		default:
			return false
		}
		return true
	}
	res := mustRun(t, notesOptions(doc, srv.start(t)))
	var rules []string
	for _, f := range res.Findings {
		if f.Check != CheckNegativeDataRejection || f.Operation != "PostNote" {
			t.Errorf("unexpected finding: %+v", f)
			continue
		}
		rules = append(rules, f.Rule)
		if f.Spec.Line == 0 || !strings.HasPrefix(f.Curl, "curl ") || !strings.Contains(f.Curl, "$WABCHECK_PASSWORD") {
			t.Errorf("%s: spec %v, curl %q", f.Rule, f.Spec, f.Curl)
		}
	}
	sort.Strings(rules)
	want := []string{"additionalProperties: false", "enum: [memo, todo]", "maxLength: 20", "required: kind"}
	if strings.Join(rules, "|") != strings.Join(want, "|") {
		t.Errorf("findings for %q, want one each for %q", rules, want)
	}
}

// TestPlantedFindingIsShrunk: the overlong text is shown on the smallest
// request (required properties only, shortest values), not on the rich one
// that first showed it.
func TestPlantedFindingIsShrunk(t *testing.T) {
	doc := notesDoc(t)
	srv := newNotesServer(t, doc)
	srv.plant = func(f validate.Finding) bool { return f.Pointer == "/text" && strings.HasPrefix(f.Rule, "maxLength") }
	res := mustRun(t, notesOptions(doc, srv.start(t)))
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(res.Findings), res.Findings)
	}
	f := res.Findings[0]
	want := `--data-binary '{"kind":"memo","text":"aaaaaaaaaaaaaaaaaaaaa"}'`
	if !f.Shrunk || !strings.Contains(f.Curl, want) {
		t.Errorf("shrunk %v, curl %s; want it to end with %s", f.Shrunk, f.Curl, want)
	}
	if f.Spec.String() != "testdata/planted.yaml:94:11" {
		t.Errorf("spec location %s, want the maxLength keyword at testdata/planted.yaml:94:11", f.Spec)
	}
}

// TestServerErrorOnMalformedBody: a target answering 500 to a malformed
// body gets a finding for it (and nothing else).
func TestServerErrorOnMalformedBody(t *testing.T) {
	doc := notesDoc(t)
	srv := newNotesServer(t, doc)
	srv.crashOnMalformed = true
	res := mustRun(t, notesOptions(doc, srv.start(t)))
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(res.Findings), res.Findings)
	}
	f := res.Findings[0]
	if f.Check != CheckNotAServerError || f.Status != 500 || !strings.Contains(f.Case, "malformed JSON") || !strings.Contains(f.Curl, "--data-binary") {
		t.Errorf("finding %+v", f)
	}
}

// TestIgnoredAuth: a target that serves without credentials gets one
// ignored_auth finding per operation (missing and wrong credentials share
// the rule).
func TestIgnoredAuth(t *testing.T) {
	doc := notesDoc(t)
	srv := newNotesServer(t, doc)
	srv.ignoreAuth = true
	res := mustRun(t, notesOptions(doc, srv.start(t)))
	fs := findingsOf(res, CheckIgnoredAuth)
	if len(fs) != 2 || len(res.Findings) != 2 {
		t.Fatalf("findings %+v, want ignored_auth on PostNote and GetNote", res.Findings)
	}
	for _, f := range fs {
		if f.Occurrences != 2 || f.Rule != "security: basic" {
			t.Errorf("%+v", f)
		}
	}
}
