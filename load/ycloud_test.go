package load

import (
	"context"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/load/profiles"
)

// runYCloud runs a profile against YCloud's in-process simulator.
func runYCloud(t *testing.T, p *profiles.Profile, o Options) *Result {
	t.Helper()
	o.Profile, o.Dialect, o.Doc, o.ValidateSample, o.ReportDir = p, ycloud.New(), ycloud.MustDoc(), 1, t.TempDir()
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// TestYCloudProfilesAgainstSimulator runs YCloud's send, direct and soak
// profiles scaled down against its simulator: sends succeed under the
// per-sender limits, answers are valid, and every accepted message is
// accounted for over signed webhooks whose signatures were all verified.
func TestYCloudProfilesAgainstSimulator(t *testing.T) {
	for _, name := range []string{"send", "direct", "soak"} {
		t.Run(name, func(t *testing.T) {
			p, err := profiles.Load(name, ycloud.Name)
			if err != nil {
				t.Fatal(err)
			}
			if p.Source != "builtin:ycloud/"+name {
				t.Errorf("profile %s came from %s, want YCloud's own", name, p.Source)
			}
			if err := p.Scale(1500*time.Millisecond, 20); err != nil {
				t.Fatal(err)
			}
			s := runYCloud(t, p, Options{}).Summary
			if s.Requests < 10 || s.Success < 0.99 || s.StatusCodes["429"] != 0 {
				t.Errorf("requests %d, success %v, codes %v, errors %v", s.Requests, s.Success, s.StatusCodes, s.Errors)
			}
			if s.Validation.Violations != 0 {
				t.Errorf("spec violations against our own simulator: %v %v", s.Validation.ByCode, s.Validation.Examples)
			}
			d := s.Delivery
			if !d.Enabled || d.Accepted == 0 || d.Missing != 0 || d.Unknown != 0 || d.Terminal != d.Accepted {
				t.Errorf("delivery: %+v", d)
			}
			if !d.Verifying || d.SignatureFailures != 0 || len(d.Findings) != 0 {
				t.Errorf("signed delivery: verifying %v, signature failures %d, findings %v", d.Verifying, d.SignatureFailures, d.Findings)
			}
		})
	}
}

// Under load the receiver verifies every webhook's signature: with the
// simulator signing with another secret, every event is a signature
// failure and the send profile's thresholds fail.
func TestYCloudSignaturesVerifiedUnderLoad(t *testing.T) {
	p, err := profiles.Load("send", ycloud.Name)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Scale(time.Second, 20); err != nil {
		t.Fatal(err)
	}
	res := runYCloud(t, p, Options{SimConfig: func(c *sim.Config) { c.Faults = []sim.FaultSetting{{Name: "bad-signature", Ratio: 1}} }})
	d := res.Summary.Delivery
	if d.SignatureFailures == 0 || d.SignatureFailures != d.Findings["signature-invalid"] || d.Terminal != d.Accepted {
		t.Errorf("delivery with bad signatures: %+v", d)
	}
	if res.Summary.Pass {
		t.Error("the send profile passed with every signature bad")
	}
}

// The ratelimit profile ramps past the documented per-sender limit (here
// lowered to 40/s on the simulator and in the profile, to stay short):
// 429s start near it, each a valid YCloud error body.
func TestYCloudRateLimitOnset(t *testing.T) {
	p, err := profiles.Load("ratelimit", ycloud.Name)
	if err != nil {
		t.Fatal(err)
	}
	if p.RateLimit == nil || p.RateLimit.Limit != ycloud.EnqueueRate {
		t.Fatalf("ratelimit section %+v, want the documented limit %d", p.RateLimit, ycloud.EnqueueRate)
	}
	p.RateLimit.Limit = 40
	if err := p.Scale(5*time.Second, 0); err != nil {
		t.Fatal(err)
	}
	s := runYCloud(t, p, Options{SimConfig: func(c *sim.Config) { c.Options = map[string]string{"enqueue-rate": "40"} }}).Summary
	rl := s.RateLimit
	if rl.Limited == 0 || rl.Documented != 40 || rl.Onset < 30 || rl.Onset > 50 {
		t.Errorf("rate limit: %+v", rl)
	}
	if s.Validation.Violations != 0 || s.StatusCodes["500"] != 0 {
		t.Errorf("violations %v, codes %v", s.Validation.ByCode, s.StatusCodes)
	}
}

// Sends come from the given business number (--from): YCloud refuses a
// sender that is not the account's.
func TestGeneratorSendsFromTheGivenSender(t *testing.T) {
	d := ycloud.New()
	g := NewGenerator(TargetConfig{BaseURL: "http://127.0.0.1:1/v2", Dialect: d, From: "+16315552222",
		Mix: []profiles.OpWeight{{Op: profiles.OpSend, Weight: 1}}, Payload: profiles.Payload{Destinations: 10, Variants: []profiles.OpWeight{{Op: profiles.VariantText, Weight: 1}}}}, nil)
	var tgt vegeta.Target
	if err := g.Targeter()(&tgt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tgt.Body), `"from":"+16315552222"`) {
		t.Errorf("body %s, want the given sender", tgt.Body)
	}
}
