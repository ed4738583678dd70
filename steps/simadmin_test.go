package steps

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// simEnv starts an in-process simulator (no callbacks, rate limit 50, the
// dlr-drop fault at 0.5) and returns an Env pointing at it.
func simEnv(t *testing.T) *Env {
	t.Helper()
	cfg := sim.DefaultConfig()
	cfg.CallbackURLs = nil
	cfg.RateLimit, cfg.RateBurst = 50, 0
	cfg.Faults = []sim.FaultSetting{{Name: "dlr-drop", Ratio: 0.5}}
	r, err := sim.Start(context.Background(), testEnv(t).Doc, nil, modicasim.New(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = r.Close(context.Background()) })
	env := testEnv(t)
	env.BaseURL, env.AdminURL = r.URL, r.Root+"/_sim"
	env.Auth = dialect.NewBasicAuth(cfg.User, cfg.Password)
	env.Now = nil
	return env
}

// simState reads the active faults and the rate limit from the admin API.
func simState(t *testing.T, s *Scenario) (faults string, rate, burst int) {
	t.Helper()
	var doc struct{ Active []simFault }
	if err := s.admin(context.Background(), http.MethodGet, "/faults", nil, &doc); err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		RateLimit int `json:"rate_limit"`
		RateBurst int `json:"rate_burst"`
	}
	if err := s.admin(context.Background(), http.MethodGet, "/config", nil, &cfg); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range doc.Active {
		names = append(names, f.Name)
	}
	return strings.Join(names, ","), cfg.RateLimit, cfg.RateBurst
}

// TestServerErrorsThenRestore: with the 500 step every operation answers a
// valid 500, and Restore puts back the faults that were active before,
// even with an ended context.
func TestServerErrorsThenRestore(t *testing.T) {
	ctx := context.Background()
	s := New(simEnv(t))
	if err := s.failEveryRequest(ctx); err != nil {
		t.Fatal(err)
	}
	if f, _, _ := simState(t, s); f != "dlr-drop,server-error-burst" {
		t.Fatalf("active faults = %q, want dlr-drop,server-error-burst", f)
	}
	for _, op := range []string{"GET /healthz", "POST /messages", "GET /messages", "PATCH /messages",
		"POST /messages/broadcast", "POST /media", "GET /media", "POST /source"} {
		method, path, _ := strings.Cut(op, " ")
		if err := s.operationRequest(ctx, method, path); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if err := s.statusIs(500); err != nil {
			t.Errorf("%s: %v", op, err)
		}
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Restore(ended); err != nil {
		t.Fatal(err)
	}
	if f, _, _ := simState(t, s); f != "dlr-drop" {
		t.Errorf("after Restore active faults = %q, want dlr-drop", f)
	}
	if err := s.operationRequest(ctx, http.MethodGet, "/healthz"); err != nil {
		t.Fatal(err)
	}
	if err := s.statusIs(200); err != nil {
		t.Error(err)
	}
}

// TestRateLimitThenRestore: past a limit of 1 request per second the
// requests in a row get 429; Restore puts the limit and burst back.
func TestRateLimitThenRestore(t *testing.T) {
	ctx := context.Background()
	s := New(simEnv(t))
	if err := s.lowerRateLimit(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.requestsInARow(ctx, 3, http.MethodPatch, "/messages"); err != nil {
		t.Fatal(err)
	}
	if len(s.burst) != 3 {
		t.Fatalf("burst has %d answers, want 3", len(s.burst))
	}
	if err := s.some429(); err != nil {
		t.Fatal(err)
	}
	if err := s.every429Header("Retry-After", 10, 1000); err != nil {
		t.Error(err)
	}
	if err := s.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	if _, rate, burst := simState(t, s); rate != 50 || burst != 0 {
		t.Errorf("after Restore rate_limit %d rate_burst %d, want 50 and 0", rate, burst)
	}
	if err := s.Restore(ctx); err != nil {
		t.Errorf("a second Restore: %v", err)
	}
}

// TestSimStepsNeedTheAdminAPI: against a real target the steps say why
// they cannot run, and an unknown operation is named.
func TestSimStepsNeedTheAdminAPI(t *testing.T) {
	s := New(testEnv(t))
	for _, err := range []error{s.failEveryRequest(context.Background()), s.lowerRateLimit(context.Background(), 1)} {
		if err == nil || !strings.Contains(err.Error(), "@sim-only") {
			t.Errorf("got %v, want an error naming @sim-only", err)
		}
	}
	if err := s.operationRequest(context.Background(), http.MethodGet, "/nowhere"); err == nil || !strings.Contains(err.Error(), `"GET /nowhere"`) {
		t.Errorf("got %v, want an error naming the operation", err)
	}
}
