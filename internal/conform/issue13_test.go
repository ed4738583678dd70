package conform

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/steps"
)

// targetOptions are the options of a run against the real target at url
// (credentials acme/TargetPw123), console off.
func targetOptions(url, tags string) Options {
	o := modicaOptions()
	o.Doc, o.Format, o.Tags = modicaspec.MustDoc(), "", tags
	o.Target, o.Credentials = url, dialect.Credentials{User: "acme", Password: "TargetPw123"}
	return o
}

// exchanges returns every exchange of the run.
func exchanges(run *report.Run) []report.Exchange {
	var out []report.Exchange
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			out = append(out, s.Exchanges...)
		}
	}
	return out
}

// TestIssue13Item5RedirectIsTheAnswer: a target answering 307 to another
// host used to be followed, the real Authorization carried along, and the
// run passed with no 3xx in the report. Now the 307 is the answer: the
// other host gets nothing and the 307 is a finding (status-undeclared).
func TestIssue13Item5RedirectIsTheAnswer(t *testing.T) {
	var elsewhere, withAuth atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			withAuth.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	defer other.Close()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer target.Close()

	run, err := Run(context.Background(), targetOptions(target.URL+"/rest/wab/v1", "@health"))
	if err != nil {
		t.Fatal(err)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the host redirected to got %d requests (%d with Authorization), want none", n, withAuth.Load())
	}
	if run.Passed() {
		t.Error("the run passed against a target that answers every request with 307")
	}
	var found bool
	for _, x := range exchanges(run) {
		if x.Status != http.StatusTemporaryRedirect {
			t.Errorf("%s %s: status %d in the report, want the 307 the target answered", x.Method, x.URL, x.Status)
		}
		for _, f := range x.Findings {
			found = found || f.Code == validate.CodeStatusUndeclared
		}
	}
	if !found {
		t.Errorf("no %s finding for the 307", validate.CodeStatusUndeclared)
	}
}

// TestIssue13Item13OversizeCallbacksReachTheReport: the callbacks the
// receiver's credential check answered 413 become unknown callbacks of
// the run, with a body-too-large finding; past the first ones kept, the
// last says how many there were.
func TestIssue13Item13OversizeCallbacksReachTheReport(t *testing.T) {
	a := steps.NewCallbackAuth(http.NotFoundHandler(), modica.New().Callbacks(), "cb", "pw", nil)
	for range 25 {
		req := httptest.NewRequest(http.MethodPost, "/status", strings.NewReader(strings.Repeat("x", 2<<20)))
		req.SetBasicAuth("cb", "pw")
		a.ServeHTTP(httptest.NewRecorder(), req)
	}
	got := tooLarge(a)
	if len(got) != 20 {
		t.Fatalf("%d records, want the first 20", len(got))
	}
	last := got[len(got)-1].Findings[0]
	if last.Code != steps.CodeBodyTooLarge || !strings.Contains(last.Message, "25 such callbacks in all") {
		t.Errorf("last record's finding %v, want %s saying 25 in all", last, steps.CodeBodyTooLarge)
	}
	if tooLarge(nil) != nil {
		t.Error("tooLarge(nil) != nil")
	}
}
