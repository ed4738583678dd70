package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	_ "github.com/wabcheck/wabcheck/internal/dialect/ycloud/ycloudsim" // the simulator wire
	"github.com/wabcheck/wabcheck/internal/harness"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// ycloudSim starts YCloud's simulator in-process as `wabcheck probe
// --vendor ycloud` does (rate and account limits off, a fixed seed) and
// returns probe options for it, leaving out what the simulator does not
// implement.
func ycloudSim(t testing.TB) Options {
	t.Helper()
	doc := ycloud.MustDoc()
	h, err := harness.Start(context.Background(), harness.Options{Dialect: ycloud.New(), Doc: doc, Timeout: 10 * time.Second,
		SimConfig: func(c *sim.Config) {
			c.RateLimit, c.Seed, c.NoAccountLimits = 0, 1, true
			c.CallbackBackoff, c.CallbackMaxBackoff = 20*time.Millisecond, 200*time.Millisecond
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	o := DefaultOptions()
	o.Doc, o.Dialect, o.Auth, o.Simulated, o.BaseURL, o.Receiver = doc, h.Dialect, h.Auth, true, h.BaseURL, h.Receiver
	o.Serves = h.Sim.Serves
	o.MaxCases, o.Timeout, o.MaxLatency, o.ReceiptTimeout = 600, 10*time.Second, 0, 5*time.Second
	return o
}

// TestYCloudSimulatorZeroFindings: the probe against YCloud's simulator
// probes the ten operations it implements (the other forty of the spec
// are left out, saying so), exercises every check on them, follows sends
// to their receipts and the dialect's links, and finds nothing; no
// webhook secret of the endpoints it creates reaches the result.
func TestYCloudSimulatorZeroFindings(t *testing.T) {
	res := mustRun(t, ycloudSim(t))
	for _, f := range res.Findings {
		t.Errorf("finding: %s %s %s: %s\n  %s\n  %s", f.Operation, f.Check, f.Rule, f.Message, f.Curl, f.Answer)
	}
	perOp := everyCheckRan(t, res)
	for _, op := range []string{ycloud.OpSend, ycloud.OpSendDirectly, ycloud.OpRetrieve, ycloud.OpMarkRead, ycloud.OpWebhookCreate,
		ycloud.OpWebhookList, ycloud.OpWebhookGet, ycloud.OpWebhookUpdate, ycloud.OpWebhookDelete, ycloud.OpWebhookRotate} {
		if perOp[op] == 0 {
			t.Errorf("operation %s was not probed", op)
		}
	}
	if len(res.Operations) != 10 || !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "40 operations left out") }) {
		t.Errorf("%d operations probed, notes %q; want 10, the other 40 left out", len(res.Operations), res.Notes)
	}
	linked := map[string]int{}
	for _, c := range res.Cases {
		if c.Kind == Linked && c.Status/100 == 2 {
			linked[c.Operation]++
		}
	}
	for _, op := range []string{ycloud.OpRetrieve, ycloud.OpWebhookGet, ycloud.OpWebhookUpdate, ycloud.OpWebhookRotate, ycloud.OpWebhookDelete} {
		if linked[op] == 0 {
			t.Errorf("no link to %s was followed to a 2XX (%v)", op, linked)
		}
	}
	all, _ := json.Marshal(struct {
		S Summary
		C []CaseResult
	}{NewSummary(res), res.Cases})
	if bytes.Contains(all, []byte("whsec_")) {
		t.Error("the result holds a webhook secret")
	}
}

// deleteFirst is YCloud's dialect with its links listed delete first.
type deleteFirst struct{ *ycloud.Dialect }

func (d deleteFirst) Links() []Link {
	links := d.Dialect.Links()
	slices.SortStableFunc(links, func(a, b Link) int {
		return boolInt(b.To == ycloud.OpWebhookDelete) - boolInt(a.To == ycloud.OpWebhookDelete)
	})
	return links
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Regression: links are followed concurrently, so a delete of a created
// resource could run before the read of it another link makes. Links to
// a DELETE are followed last: with them listed first and one request at
// a time, every follow-up still finds its endpoint.
func TestDeleteLinksFollowLast(t *testing.T) {
	o := ycloudSim(t)
	o.Dialect, o.Concurrency, o.MaxCases = deleteFirst{ycloud.New()}, 1, 120
	o.Operations = []string{ycloud.OpWebhookCreate, ycloud.OpWebhookGet, ycloud.OpWebhookUpdate, ycloud.OpWebhookRotate, ycloud.OpWebhookDelete}
	res := mustRun(t, o)
	for _, f := range res.Findings {
		t.Errorf("finding: %s %s %s: %s", f.Operation, f.Check, f.Rule, f.Message)
	}
	var order []string
	for i, c := range res.Cases {
		if c.ID != i {
			t.Fatalf("case %d has id %d", i, c.ID)
		}
		if c.Kind == Linked {
			order = append(order, c.Operation)
		}
	}
	if len(order) < 8 || order[len(order)-1] != ycloud.OpWebhookDelete || slices.Index(order, ycloud.OpWebhookDelete) < len(order)-2 {
		t.Errorf("linked cases in order %v, want the two deletes last", order)
	}
}

// A oneOf beside the schema's own properties (errata Y15) is generated as
// that shape with the branch's constraints: the send of each type is
// valid, with the type's object and from/to.
func TestBranchesCarryTheSchemasOwnShape(t *testing.T) {
	o := ycloudSim(t)
	v := o.Doc.T.Components.Schemas["WhatsappMessageSendRequest"]
	n := nodeOf(v, "/components/schemas/WhatsappMessageSendRequest")
	bs, _ := branches(n)
	if len(bs) != 11 {
		t.Fatalf("%d branches, want 11", len(bs))
	}
	g := &gen{rnd: rand.New(rand.NewPCG(1, 2)), now: time.Now(), pats: newPatterns()}
	for i, b := range bs {
		val, ok := g.value(n, typical, i)
		if !ok {
			t.Fatalf("branch %d (%s): no value", i, branchName(b))
		}
		if err := v.Value.VisitJSON(val); err != nil {
			t.Errorf("branch %d (%s): %v\n%v", i, branchName(b), err, val)
		}
		m := val.(map[string]any)
		if _, ok := m[m["type"].(string)]; !ok || m["from"] == nil || m["to"] == nil {
			t.Errorf("branch %d: %v", i, m)
		}
	}
}

// Regression: a random string for a path parameter could be empty, and
// the request then named another path ("/webhookEndpoints/"), whose
// answer no operation declares. Path parameters are never empty.
func TestPathParamsAreNeverEmpty(t *testing.T) {
	o := ycloudSim(t)
	o = o.resolve()
	v, err := validate.New(o.Doc, validate.Dialect(o.Dialect))
	if err != nil {
		t.Fatal(err)
	}
	var op *operation
	for _, x := range operations(o.Doc) {
		if x.id == ycloud.OpWebhookUpdate {
			op = x
		}
	}
	pl := newPlanner(o, v, []*operation{op}, nil)
	for i := range 300 {
		for _, m := range []mode{minimal, typical, random} {
			if id := pl.params(op, m)["path id"]; id == "" {
				t.Fatalf("try %d, mode %d: empty path id", i, m)
			}
		}
	}
}

// Against a real target, YCloud's sends come from --from and go to --to
// only; without --from they are left out, saying why (YCloud refuses a
// sender that is not the account's); a positive case never varies the
// sender.
func TestRealTargetSendsFromTheGivenSender(t *testing.T) {
	doc := ycloud.MustDoc()
	o := DefaultOptions()
	o.Dialect, o.Auth, o.To = ycloud.New(), notesAuth, []string{"+16315550100"}
	cases, pl := planFor(t, doc, o, 120)
	for _, c := range cases {
		if _, sends := ycloud.New().Sends(c.Operation); sends {
			t.Fatalf("case %d sends without --from: %s %s", c.ID, c.Operation, c.Name)
		}
	}
	if pl.skipped[skipKey{ycloud.OpSend, skipNoFrom}] == 0 {
		t.Errorf("sends without --from not counted as left out: %v", pl.skipped)
	}
	const from = "+16315551111"
	o.From = from
	cases, _ = planFor(t, doc, o, 120)
	n := 0
	for _, c := range cases {
		if _, sends := ycloud.New().Sends(c.Operation); !sends || !c.hasBody {
			continue
		}
		got, _ := spec.ValueAt(c.body, "/from")
		if c.Kind == Positive && got != from {
			t.Errorf("case %d (%s) sends from %v", c.ID, c.Name, got)
		}
		if to, _ := spec.ValueAt(c.body, "/to"); c.Kind == Positive && to != "+16315550100" {
			t.Errorf("case %d (%s) sends to %v", c.ID, c.Name, to)
		}
		n++
	}
	if n == 0 {
		t.Error("no send was planned with --from and --to")
	}
}
