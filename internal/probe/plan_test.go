package probe

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// planFor plans cases for doc with o's policy (Simulated and To matter).
func planFor(t *testing.T, doc *spec.Doc, o Options, budget int) ([]*Case, *planner) {
	t.Helper()
	o.Doc, o.Now = doc, func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	if o.Dialect == nil {
		o.Dialect, o.Auth = modica.New(), notesAuth
	}
	v, err := validate.New(doc, validate.Dialect(o.Dialect))
	if err != nil {
		t.Fatal(err)
	}
	pl := newPlanner(o, v, operations(doc), o.dialectLinks())
	return pl.plan(budget), pl
}

func signatures(cases []*Case) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		body, ct, _ := encode(c)
		out[i] = signature(c, body, ct)
	}
	return out
}

// TestPlanIsDeterministicForASeed: the same seed plans the same requests;
// another seed plans other random ones.
func TestPlanIsDeterministicForASeed(t *testing.T) {
	doc := modicaspec.MustDoc()
	o := DefaultOptions()
	o.Simulated = true
	a, _ := planFor(t, doc, o, 400)
	b, _ := planFor(t, doc, o, 400)
	if strings.Join(signatures(a), ",") != strings.Join(signatures(b), ",") {
		t.Error("two plans with seed 1 differ")
	}
	o.Seed = 2
	c, _ := planFor(t, doc, o, 400)
	if strings.Join(signatures(a), ",") == strings.Join(signatures(c), ",") {
		t.Error("seeds 1 and 2 planned the same cases")
	}
}

// TestPlanCasesAgreeWithTheValidator: over the Modica spec, every positive
// case is valid and every negative one invalid (or a pattern violation
// judged in ECMA-262, or a multipart field), and every case's rule has a
// place in the spec file.
func TestPlanCasesAgreeWithTheValidator(t *testing.T) {
	doc := modicaspec.MustDoc()
	o := DefaultOptions()
	o.Simulated = true
	cases, pl := planFor(t, doc, o, 1500)
	kinds := map[Kind]int{}
	for _, c := range cases {
		kinds[c.Kind]++
		body, ct, err := encode(c)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := request(context.Background(), pl.specBase, c, body, ct)
		fs := pl.v.Request(req, body)
		switch {
		case c.Kind == Positive && len(fs) > 0:
			t.Errorf("positive case %d (%s %s) is invalid: %v", c.ID, c.Operation, c.Name, fs[0])
		case c.Kind == Negative && len(fs) == 0 && !c.ecma && !c.noCheck:
			t.Errorf("negative case %d (%s %s) is valid", c.ID, c.Operation, c.Name)
		}
		if c.Rule == "" || doc.Locate(c.RulePtr).Line == 0 {
			t.Errorf("case %d (%s %s): rule %q at %q has no place in the spec", c.ID, c.Operation, c.Name, c.Rule, c.RulePtr)
		}
	}
	if kinds[Positive] < 100 || kinds[Negative] < 300 || kinds[Auth] != 16 || kinds[Edge] != 5 || kinds[Method] != 5 {
		t.Errorf("cases by kind %v", kinds)
	}
}

// TestPlanBreaksEveryRuleKind: the notes spec has every rule kind the
// issue lists; each is broken by some negative case, the oneOf mix comes
// from the Modica spec.
func TestPlanBreaksEveryRuleKind(t *testing.T) {
	o := DefaultOptions()
	o.Simulated, o.Dialect, o.Auth = true, notesDialect{modica.New()}, notesAuth
	cases, _ := planFor(t, notesDoc(t), o, 1000)
	mo := DefaultOptions()
	mo.Simulated = true
	modica, _ := planFor(t, modicaspec.MustDoc(), mo, 1000)
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.Phase+" "+c.Rule] = true
	}
	if !seen["examples example: parameters"] || !seen["examples example: memo"] {
		t.Errorf("no case from the parameter or body examples")
	}
	for _, c := range append(cases, modica...) {
		if c.Kind == Negative || c.Kind == Auth {
			kw, _, _ := strings.Cut(c.Rule, ":")
			seen[kw+" in "+strings.Fields(c.Where)[0]] = true
		}
	}
	for _, want := range []string{"required in body", "type in body", "maxLength in body", "minLength in body", "pattern in body",
		"enum in body", "minimum in body", "maximum in body", "additionalProperties in body", "oneOf in body",
		"content in body", "content in header", "requestBody in body", "security in credentials",
		"pattern in path", "maxLength in path", "type in query", "minimum in query", "maximum in query", "required in query"} {
		if !seen[want] {
			t.Errorf("no negative case for %s", want)
		}
	}
}

// TestPlanRespectsTheBudget: a small budget still reaches every
// operation, and never exceeds itself.
func TestPlanRespectsTheBudget(t *testing.T) {
	o := DefaultOptions()
	o.Simulated = true
	cases, _ := planFor(t, modicaspec.MustDoc(), o, 40)
	ops := map[string]bool{}
	for _, c := range cases {
		ops[c.Operation] = true
	}
	if len(cases) != 40 || len(ops) != 8 {
		t.Errorf("%d cases over %d operations, want 40 over 8", len(cases), len(ops))
	}
}

// TestRealTargetSendsOnlyToTheGivenNumbers: against a real target, sends
// without --to numbers are left out; with them every send goes to them
// (a case varying the recipient is left out, unless it breaks the
// recipient's own rules); positive writes other than sends need
// --positive all.
func TestRealTargetSendsOnlyToTheGivenNumbers(t *testing.T) {
	doc := modicaspec.MustDoc()
	o := DefaultOptions()
	cases, pl := planFor(t, doc, o, 1500)
	for _, c := range cases {
		if _, sends := modica.New().Sends(c.Operation); sends {
			t.Fatalf("case %d sends without --to: %s %s", c.ID, c.Operation, c.Name)
		}
		if c.Kind == Positive && !readOnly(c.Method) {
			t.Fatalf("case %d writes under --positive safe: %s %s", c.ID, c.Operation, c.Name)
		}
	}
	if pl.skipped[skipKey{"PostMessages", skipNoTo}] == 0 || pl.skipped[skipKey{"PostSource", skipWrites}] == 0 {
		t.Errorf("skips not counted: %v", pl.skipped)
	}
	const to = "+64211234567"
	o.To, o.Positive = []string{to}, PositiveAll
	cases, _ = planFor(t, doc, o, 1500)
	sends, sources := 0, 0
	for _, c := range cases {
		sources += btoi(c.Operation == "PostSource" && c.Kind == Positive)
		if c.Operation != "PostMessages" || !c.hasBody || c.useRaw {
			continue
		}
		sends++
		for _, rp := range []string{"/destination", "/to"} {
			if v, ok := spec.ValueAt(c.body, rp); ok && v != to && !touches(c, []string{rp}) {
				t.Errorf("case %d (%s) sends to %v", c.ID, c.Name, v)
			}
		}
		if touches(c, []string{"/destination", "/to"}) && c.Kind != Negative {
			t.Errorf("case %d (%s) varies the recipient of a real send", c.ID, c.Name)
		}
	}
	if sends < 50 || sources == 0 {
		t.Errorf("%d send cases, %d positive PostSource cases with --to and --positive all", sends, sources)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
