package modicasim

// Regression tests for issue 13 (hardening), named after its items.

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// hostileCallbackURLs are callback URLs the admin API used to accept with
// the published default credentials, each with what the refusal names.
var hostileCallbackURLs = map[string]string{
	"http://169.254.169.254/latest/meta-data/":            "metadata",
	"http://169.254.170.2/v2/credentials":                 "metadata",
	"http://[fe80::1]:8080/":                              "metadata",
	"http://metadata.google.internal/computeMetadata/v1/": "metadata",
	"http://100.100.100.200/latest/meta-data/":            "metadata",
	"http://[fd00:ec2::254]/latest/meta-data/":            "metadata",
	"http://[::ffff:169.254.169.254]/":                    "metadata",
	"http://127.0.0.1:9090/status%0d%0aX-Injected:%20yes": "control character",
	"http://127.0.0.1:9090/status%00":                     "control character",
	"http://127.0.0.1:99999/status":                       "port 99999", // item 13
	"http://127.0.0.1:0/status":                           "port 0",
}

// TestAdminRefusesHostileCallbackURLs (issue 13 items 7 and 13): PATCH
// /_sim/config set callback URLs to link-local and metadata addresses,
// CRLF-laden URLs and port 99999. Each is a 400 naming why, and the
// configuration stays as it was.
func TestAdminRefusesHostileCallbackURLs(t *testing.T) {
	s := newServer(t, testConfig())
	for u, want := range hostileCallbackURLs {
		for _, field := range []string{"status", "reply"} {
			body, _ := json.Marshal(map[string]map[string]string{"callback_urls": {field: u}})
			rec := call(t, s, "PATCH", "/_sim/config", "application/json", body)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), want) {
				t.Errorf("%s %q: %d %s; want 400 naming %q", field, u, rec.Code, rec.Body.String(), want)
			}
		}
		if err := s.SetCallbackURL("status", u); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("SetCallbackURL(%q) = %v, want an error naming %q", u, err, want)
		}
	}
	if st, re := s.CallbackURL("status"), s.CallbackURL("reply"); st != "" || re != "" {
		t.Errorf("a refused URL was stored: %q %q", st, re)
	}
}

// TestConfigRefusesHostileCallbackURLs: the same rule for the
// configuration (flags) unless AllowMetadataCallbacks is set; control
// characters and bad ports are refused even then.
func TestConfigRefusesHostileCallbackURLs(t *testing.T) {
	for u, want := range hostileCallbackURLs {
		c := sim.DefaultConfig()
		c.CallbackURLs = map[string]string{"status": u}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "CallbackURLs[status]") || !strings.Contains(err.Error(), want) {
			t.Errorf("StatusCallbackURL %q: Validate() = %v, want an error naming the field and %q", u, err, want)
		}
		c.AllowMetadataCallbacks = true
		err := c.Validate()
		if allowed := want == "metadata"; allowed != (err == nil) {
			t.Errorf("StatusCallbackURL %q with AllowMetadataCallbacks: Validate() = %v", u, err)
		}
	}
}

// TestFloatConfigRefusesNaN (issue 13 item 10, the simulator's part): every
// float field of the configuration refuses NaN and infinities.
func TestFloatConfigRefusesNaN(t *testing.T) {
	fields := map[string]func(*sim.Config, float64){
		"ReadRatio": func(c *sim.Config, v float64) { c.ReadRatio = v }, "FailRatio": func(c *sim.Config, v float64) { c.FailRatio = v },
		"RejectRatio": func(c *sim.Config, v float64) { c.RejectRatio = v }, "ExpireRatio": func(c *sim.Config, v float64) { c.ExpireRatio = v },
		"Faults[0]": func(c *sim.Config, v float64) { c.Faults = []sim.FaultSetting{{Name: "dlr-duplicate", Ratio: v}} },
	}
	for name, set := range fields {
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			c := sim.DefaultConfig()
			set(&c, v)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s = %v: Validate() = %v", name, v, err)
			}
		}
	}
}

// TestInvalidUTF8InBodyIs400 (issue 13 item 13): a text.body holding
// invalid UTF-8 was accepted (encoding/json turns it into U+FFFD). Every
// JSON request body is checked for valid UTF-8 first, and the 400 names
// the field that holds the bad bytes.
func TestInvalidUTF8InBodyIs400(t *testing.T) {
	s := newServer(t, testConfig())
	cases := []struct{ path, body, field string }{
		{base + "/messages", "{\"destination\":\"+6421555000\",\"type\":\"text\",\"text\":{\"body\":\"hi \xff\xfe there\"}}", "text.body"},
		{base + "/messages", "{\"destination\":\"+6421555000\",\"type\":\"text\",\"text\":{\"body\":\"ok\"},\"reference\":\"r\xc3\"}", "reference"},
		{base + "/messages/broadcast", "{\"destination\":[\"+6421555000\"],\"type\":\"text\",\"text\":{\"body\":\"\xed\xa0\x80\"}}", "text.body"},
		{base + "/messages", "{\"destination\":\"+6421555000\",\"ty\xffpe\":\"text\"}", "body"},
	}
	for _, c := range cases {
		rec := call(t, s, "POST", c.path, "application/json", []byte(c.body))
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%q: %d %s, want 400", c.body, rec.Code, rec.Body.String())
			continue
		}
		testSpec.CheckResponse(t, "POST", c.path, rec)
		var e struct {
			Errors []struct{ Field, Code string } `json:"errors"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		if len(e.Errors) != 1 || e.Errors[0].Field != c.field || e.Errors[0].Code != sim.CodeInvalidUTF8 {
			t.Errorf("%q: errors %+v, want one %s on %q", c.body, e.Errors, sim.CodeInvalidUTF8, c.field)
		}
	}
	rec := call(t, s, "PATCH", "/_sim/config", "application/json", []byte("{\"callback_urls\":{\"status\":\"http://127.0.0.1/\xff\"}}"))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "callback_urls.status") {
		t.Errorf("admin body with invalid UTF-8: %d %s", rec.Code, rec.Body.String())
	}
}

// TestServeRefusesExposedDefaultCredentials (issue 13 item 7): `sim
// --listen 0.0.0.0:…` served the admin API on every interface behind the
// published default password. Serve refuses it unless AllowRemote insists;
// with other credentials it serves.
func TestServeRefusesExposedDefaultCredentials(t *testing.T) {
	d, _ := testSpec.Get(t)
	for _, tc := range []struct {
		password    string
		allowRemote bool
		refused     bool
	}{{sim.DefaultPassword, false, true}, {sim.DefaultPassword, true, false}, {"s3cret", false, false}} {
		cfg := testConfig()
		cfg.Password, cfg.AllowRemote = tc.password, tc.allowRemote
		s, err := sim.New(d, nil, New(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", ":0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan struct{})
		var serveErr error
		go func() {
			defer close(served)
			_, serveErr = sim.Serve(ctx, s, ln, time.Second, func(string) { cancel() })
		}()
		<-served
		cancel()
		if refused := errors.Is(serveErr, sim.ErrExposedDefaultCredentials); refused != tc.refused {
			t.Errorf("password %q, allow remote %v: Serve = %v, want refused=%v", tc.password, tc.allowRemote, serveErr, tc.refused)
		}
	}
}
