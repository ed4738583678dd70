package onpremsim

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

const textTo = `{"to":"%s","type":"text","text":{"body":"hi"}}`

func sendTo(sm *simulator, waid string) (int, []byte) {
	rec := sm.call("POST", "/v1/messages", "application/json", strings.Replace(textTo, "%s", waid, 1))
	return rec.Code, rec.Body.Bytes()
}

// TestThroughputLimit: a burst of the throughput passes, the next send is
// 400 with error 130429 (valid against the spec), and tokens come back
// with time, whoever the recipient.
func TestThroughputLimit(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.Options[OptThroughput] = "5"
	sm := newSim(t, cfg)
	for i := range 5 {
		if code, body := sendTo(sm, "1631555020"+string(rune('0'+i))); code != 201 {
			t.Fatalf("send %d: %d %s", i, code, body)
		}
	}
	rec := sm.call("POST", "/v1/messages", "application/json", strings.Replace(textTo, "%s", "16315550299", 1))
	if rec.Code != 400 || !onprem.HasCode(rec.Body.Bytes(), onprem.CodeThroughput) {
		t.Fatalf("6th: %d %s", rec.Code, rec.Body.String())
	}
	testSpec.CheckResponse(t, "POST", "/v1/messages", rec)
	clk.Advance(200 * time.Millisecond)
	if code, body := sendTo(sm, "16315550299"); code != 201 {
		t.Errorf("after 200 ms: %d %s", code, body)
	}
	if rec := sm.call("GET", "/v1/health", "", ""); rec.Code != 200 {
		t.Errorf("other calls are not limited: %d", rec.Code)
	}
}

// TestPairRateLimit: the pair's burst passes, the next send to the same
// recipient is 400 with error 131056; another recipient is not limited;
// one more comes back after the interval.
func TestPairRateLimit(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	cfg.Options[OptPairInterval], cfg.Options[OptPairBurst] = "6s", "2"
	sm := newSim(t, cfg)
	for range 2 {
		if code, body := sendTo(sm, "16315550300"); code != 201 {
			t.Fatalf("burst: %d %s", code, body)
		}
	}
	rec := sm.call("POST", "/v1/messages", "application/json", strings.Replace(textTo, "%s", "16315550300", 1))
	if rec.Code != 400 || !onprem.HasCode(rec.Body.Bytes(), onprem.CodePairRate) {
		t.Fatalf("3rd to the pair: %d %s", rec.Code, rec.Body.String())
	}
	testSpec.CheckResponse(t, "POST", "/v1/messages", rec)
	if code, _ := sendTo(sm, "16315550301"); code != 201 {
		t.Errorf("another recipient: %d", code)
	}
	clk.Advance(5999 * time.Millisecond)
	if code, _ := sendTo(sm, "16315550300"); code != 400 {
		t.Errorf("before 6 s: %d", code)
	}
	clk.Advance(time.Millisecond)
	if code, _ := sendTo(sm, "16315550300"); code != 201 {
		t.Errorf("after 6 s: %d", code)
	}
}

// TestDocumentedLimitsByDefault: without options the limits are Meta's:
// 80 per second per number, 45 to one recipient then one every 6 s.
func TestDocumentedLimitsByDefault(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now, cfg.Options = clk.Now, nil
	sm := newSim(t, cfg)
	for i := range 45 {
		if code, body := sendTo(sm, "16315550400"); code != 201 {
			t.Fatalf("send %d to one recipient: %d %s", i, code, body)
		}
	}
	if code, body := sendTo(sm, "16315550400"); code != 400 || !onprem.HasCode(body, onprem.CodePairRate) {
		t.Fatalf("46th to one recipient: %d %s", code, body)
	}
	n := 0
	for i := range 100 {
		code, body := sendTo(sm, "1631555"+strings.Repeat("0", 4-len(itoa(i)))+itoa(i))
		if code == 400 && onprem.HasCode(body, onprem.CodeThroughput) {
			break
		}
		n++
	}
	if n != 80-46 {
		t.Errorf("%d more sends before 130429, want %d (80 per second, 46 used)", n, 80-46)
	}
}

// TestOptions: bad values are refused naming the option; the app secret
// comes from the option, else $WABCHECK_APP_SECRET; cloud needs one.
func TestOptions(t *testing.T) {
	d, v := testSpec.Get(t)
	t.Setenv(AppSecretEnv, "")
	for set, want := range map[string]string{
		OptWebhookFormat + "=xml":       "webhook-format",
		OptWebhookFormat + "=cloud":     "app-secret",
		OptTokenTTL + "=soon":           "token-ttl",
		OptThroughput + "=-1":           "throughput",
		OptPairBurst + "=0":             "pair-burst",
		OptSentStatus + "=maybe":        "sent-status",
		"no-such-option=1":              "no option",
		OptPairInterval + "=1fortnight": "pair-interval",
	} {
		name, val, _ := strings.Cut(set, "=")
		cfg := testConfig()
		cfg.Options = map[string]string{name: val}
		_, err := sim.New(d, v, New(), cfg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %s", set, err, want)
		}
	}
	t.Setenv(AppSecretEnv, "from-env")
	o, err := parseOptions(map[string]string{OptWebhookFormat: "cloud"}, "")
	if err != nil || o.secret != "from-env" {
		t.Errorf("secret from the environment: %v", err)
	}
	o, _ = parseOptions(map[string]string{OptWebhookFormat: "cloud", OptAppSecret: "from-option"}, "from-config")
	if o.secret != "from-option" {
		t.Error("the option does not win over the config and the environment")
	}
	// The harness's run secret (Config.WebhookSecret, which its receiver
	// verifies with) signs when no option names one.
	o, _ = parseOptions(map[string]string{OptWebhookFormat: "cloud"}, "from-config")
	if o.secret != "from-config" {
		t.Error("the config's webhook secret does not win over the environment")
	}
}

// TestLiveOptions: the token's life and the send limits change while the
// simulator runs (PATCH /_sim/config options): a login after the change
// gets the new life, the throughput limit bites at the new rate with a
// fresh bucket; the options fixed at start are refused, nothing changed.
func TestLiveOptions(t *testing.T) {
	clk := simtest.NewClock()
	cfg := testConfig()
	cfg.Now = clk.Now
	sm := newSim(t, cfg)
	if err := sm.ApplyConfig(sim.AdminConfig{Options: map[string]string{OptTokenTTL: "2s", OptThroughput: "1"}}); err != nil {
		t.Fatal(err)
	}
	tok := sm.login(t)
	req := httptest.NewRequest("POST", "/v1/users/login", nil)
	req.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword)
	_, exp, _ := onprem.ReadLogin(simtest.Serve(sm.Server, req).Body.Bytes())
	if got := exp.Sub(clk.Now()); got != 2*time.Second {
		t.Errorf("token life after the change: %v, want 2s", got)
	}
	sm.token = tok
	if code, _ := sendTo(sm, "16315550400"); code != 201 {
		t.Fatalf("first send: %d", code)
	}
	if code, body := sendTo(sm, "16315550401"); code != 400 || !onprem.HasCode(body, onprem.CodeThroughput) {
		t.Errorf("second send at 1/s: %d %s", code, body)
	}
	clk.Advance(3 * time.Second)
	if rec := sm.call("GET", "/v1/health", "", ""); rec.Code != 401 {
		t.Errorf("a 2s token after 3s: %d, want 401", rec.Code)
	}
	vals := sm.w.OptionValues()
	if vals[OptTokenTTL] != "2s" || vals[OptThroughput] != "1" || vals[OptThroughputBurst] != "1" {
		t.Errorf("OptionValues %v", vals)
	}
	err := sm.ApplyConfig(sim.AdminConfig{Options: map[string]string{OptWebhookFormat: "cloud", OptTokenTTL: "5s"}})
	if err == nil || !strings.Contains(err.Error(), "cannot change while the simulator runs") || sm.w.OptionValues()[OptTokenTTL] != "2s" {
		t.Errorf("webhook-format while running: %v; token-ttl %s", err, sm.w.OptionValues()[OptTokenTTL])
	}
}

// TestRateLimitOffSwitchesTheLimitsOff: the simulator started without
// rate limiting (Config.RateLimit 0, as wabcheck probe starts it) has
// neither send limit, unless an option sets one.
func TestRateLimitOffSwitchesTheLimitsOff(t *testing.T) {
	cfg := testConfig()
	cfg.RateLimit, cfg.Options = 0, map[string]string{OptPairBurst: "1"}
	sm := newSim(t, cfg)
	for i := range 100 {
		if code, body := sendTo(sm, "16315550500"); code != 201 {
			t.Fatalf("send %d to one recipient: %d %s", i, code, body)
		}
	}
	cfg.Options = map[string]string{OptThroughput: "1"}
	sm = newSim(t, cfg)
	sendTo(sm, "16315550501")
	if code, _ := sendTo(sm, "16315550502"); code != 400 {
		t.Errorf("throughput set by its option: %d, want 400", code)
	}
}
