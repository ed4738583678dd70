package probe

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/harness"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// simRun probes the in-process Modica simulator (tune adjusts its
// configuration, opts the probe's).
func simRun(t *testing.T, tune func(*sim.Config), opts func(*Options)) *Result {
	t.Helper()
	o, _ := modicaSim(t, tune)
	o.MaxCases, o.Timeout, o.MaxLatency, o.ReceiptTimeout = 600, 10*time.Second, 0, 20*time.Second // generous: a loaded 2-core CI machine
	if opts != nil {
		opts(&o)
	}
	return mustRun(t, o)
}

// TestModicaSimulatorZeroFindings is the done-means against the
// in-process simulator: every operation probed, every check exercised,
// nothing found (a finding here is a simulator bug, or a probe bug).
// It also checks that the simulator's credentials appear nowhere in what
// the reports are made of.
func TestModicaSimulatorZeroFindings(t *testing.T) {
	const user, password = "probe-user", "s3cret-pw"
	res := simRun(t, func(c *sim.Config) { c.User, c.Password = user, password }, nil)
	for _, f := range res.Findings {
		t.Errorf("finding: %s %s %s: %s\n  %s\n  %s", f.Operation, f.Check, f.Rule, f.Message, f.Curl, f.Answer)
	}
	perOp := everyCheckRan(t, res)
	if len(perOp) != 8 {
		t.Errorf("%d operations probed, want all 8: %v", len(perOp), perOp)
	}
	all, _ := json.Marshal(struct {
		S Summary
		C []CaseResult
	}{NewSummary(res), res.Cases})
	for _, secret := range []string{password, base64.StdEncoding.EncodeToString([]byte(user + ":" + password))} {
		if bytes.Contains(all, []byte(secret)) {
			t.Errorf("the result holds the credential %q", secret)
		}
	}
}

// TestModicaSimulatorFaultsAreFound: simulator defects switched on are
// found by the checks they concern: accepting a non-E.164 destination
// (negative_data_rejection), sending each DLR twice (delivery_receipts)
// and dropping the security headers (response_schema_conformance).
func TestModicaSimulatorFaultsAreFound(t *testing.T) {
	res := simRun(t, func(c *sim.Config) {
		c.Faults = []sim.FaultSetting{{Name: "accept-invalid-e164", Ratio: 1}, {Name: "dlr-duplicate", Ratio: 1}, {Name: "missing-security-header", Ratio: 1}}
	}, func(o *Options) { o.Operations, o.MaxCases = []string{"PostMessages"}, 150 })
	found := map[string]bool{}
	for _, f := range res.Findings {
		switch {
		case f.Check == CheckNegativeDataRejection && f.Where == "body /destination":
			found["e164"] = true
		case f.Check == CheckDeliveryReceipts && f.Rule == "receipts: no duplicates":
			found["duplicate"] = true
		case f.Check == CheckResponseSchema && strings.Contains(f.Rule, "Content-Security-Policy"):
			found["header"] = true
		}
	}
	for _, want := range []string{"e164", "duplicate", "header"} {
		if !found[want] {
			t.Errorf("fault %s not found; findings: %+v", want, res.Findings)
		}
	}
}

// TestUploadDownloadSameBytes: a target whose download differs from the
// upload breaks the upload → download link (resource_consistency).
func TestUploadDownloadSameBytes(t *testing.T) {
	o, h := modicaSim(t, nil)
	s := h.Sim
	corrupt := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/media") {
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			body := rec.Body.Bytes()
			if rec.Code == http.StatusOK {
				body = append(body, 'X')
				w.Header().Del("Content-Length")
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
			return
		}
		s.Handler().ServeHTTP(w, r)
	})
	srv := httptest.NewServer(corrupt)
	defer srv.Close()
	o.BaseURL, o.Receiver = srv.URL+o.Doc.BasePath(), nil
	o.Operations, o.MaxCases = []string{"PostMedia", "GetMedia"}, 60
	res := mustRun(t, o)
	fs := findingsOf(res, CheckResourceConsistency)
	if len(fs) != 1 || len(res.Findings) != 1 || !strings.Contains(fs[0].Message, "differ") {
		t.Errorf("findings %+v, want one resource_consistency finding", res.Findings)
	}
}

// TestInterruptedRunReportsWhatRan: a run stopped after its cases were
// sent follows no link or receipt (a wait cut short used to be reported
// as a missing final receipt) and says it was interrupted.
func TestInterruptedRunReportsWhatRan(t *testing.T) {
	o, _ := modicaSim(t, nil)
	o.MaxCases, o.Operations = 50, []string{"PostMessages"}
	ctx, cancel := context.WithCancel(context.Background())
	o.Progress = &cancelOnWrite{cancel: cancel, at: 2}
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || len(res.Findings) != 0 || res.Passed() || len(res.Cases) != 50-linkReserve(modica.New().Links(), 50) {
		t.Errorf("interrupted %v, %d cases, findings %+v, passed %v", res.Interrupted, len(res.Cases), res.Findings, res.Passed())
	}
}

// cancelOnWrite cancels the run at its at-th progress line (the second is
// written once every case was sent).
type cancelOnWrite struct {
	cancel context.CancelFunc
	at, n  int
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	if c.n++; c.n == c.at {
		c.cancel()
	}
	return len(p), nil
}

// Regression (CI, a clean run): a followed send's final receipt was lost.
// Message ids were registered with the receiver only after every case had
// been sent, so the receipts of the run's many other messages (1000-
// destination broadcasts) filled the receiver's bounded table of ids not
// yet expected first. Ids are registered as each answer comes in: with
// that table as small as it gets, the followed sends still end in a final
// receipt.
func TestFollowedSendsAreExpectedAsTheyAreAnswered(t *testing.T) {
	doc := modicaspec.MustDoc()
	h, err := harness.Start(context.Background(), harness.Options{Dialect: modica.New(), Doc: doc, Timeout: 10 * time.Second,
		Receiver: callbacks.Options{MaxPending: -1},
		SimConfig: func(c *sim.Config) {
			c.RateLimit, c.Seed = 0, 1
			c.CallbackBackoff, c.CallbackMaxBackoff = 20*time.Millisecond, 200*time.Millisecond
			// Receipts come while the run is still sending its cases.
			c.Lifecycle = sim.Lifecycle{Submit: 30 * time.Millisecond, Send: 30 * time.Millisecond, Deliver: 30 * time.Millisecond, Read: 30 * time.Millisecond}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	o := DefaultOptions()
	o.Doc, o.Dialect, o.Auth, o.Simulated, o.BaseURL, o.Receiver = doc, h.Dialect, h.Auth, true, h.BaseURL, h.Receiver
	o.MaxCases, o.MaxLatency, o.ReceiptTimeout, o.Concurrency = 600, 0, 20*time.Second, 1
	res := mustRun(t, o)
	for _, f := range res.Findings {
		if f.Check == CheckDeliveryReceipts {
			t.Errorf("finding: %s %s: %s", f.Operation, f.Rule, f.Message)
		}
	}
	if n := countCheck(res, CheckDeliveryReceipts); n == 0 {
		t.Error("no receipt was followed")
	}
}

// countCheck is the cases check examined in res.
func countCheck(res *Result, check string) int {
	n := 0
	for _, c := range res.Counts {
		if c.Check == check {
			n += c.Cases
		}
	}
	return n
}
