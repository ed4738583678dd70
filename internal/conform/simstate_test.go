package conform

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/report"
)

// restoreFeature: the first scenario switches 500s on and lowers the rate
// limit, then fails; the next must still find the simulator as it was.
const restoreFeature = `@serial @sim-only
Feature: The simulator is put back after each scenario

  Scenario: A failing scenario that changed the simulator
    Given valid credentials
    And the simulator's rate limit is 1 request per second
    And the simulator answers every request with 500
    When I get the health of the API
    Then the response status is 200

  Scenario: The next scenario finds the simulator as it was
    Given valid credentials
    When I make 3 "GET /healthz" requests in a row
    Then the response status is 200
    And the response header "X-RateLimit-Limit" is an integer between 100 and 100
    And no response has a 5XX status
`

// TestSimChangesAreUndoneAfterEachScenario: the steps' After hook restores
// the faults and the rate limit even when the scenario failed.
func TestSimChangesAreUndoneAfterEachScenario(t *testing.T) {
	o := modicaOptions()
	o.Doc, o.Format = modicaspec.MustDoc(), ""
	o.FS = fstest.MapFS{"restore.feature": {Data: []byte(restoreFeature)}}
	run, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var got []report.Status
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			got = append(got, s.Status)
		}
	}
	if want := []report.Status{report.Failed, report.Passed}; !slices.Equal(got, want) {
		t.Fatalf("scenario statuses %v, want %v; failures:\n%s", got, want, failures(run))
	}
}

// TestEveryOperationHasA500AndA429Scenario: servererrors.feature and
// ratelimit.feature name every operation of the spec, so each operation's
// 500 and 429 are provoked and validated.
func TestEveryOperationHasA500AndA429Scenario(t *testing.T) {
	doc := modicaspec.MustDoc()
	var want []string
	for path, item := range doc.T.Paths.Map() {
		for method := range item.Operations() {
			want = append(want, method+" "+path)
		}
	}
	slices.Sort(want)
	for _, c := range []struct{ status, re string }{
		{"500", `^(\S+ /\S*) answers a server failure with 500 and an error body$`},
		{"429", `^(\S+ /\S*) past a lowered rate limit is answered with 429 and Retry-After$`},
	} {
		got := scenarioCaptures(t, doc, c.re)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s scenarios for %v, spec operations %v", c.status, got, want)
		}
	}
}
