package load

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/summary"
)

// probeClient sends the few requests outside the attack. Like the
// attacker it follows no redirect: a 3xx is an answer, never a hop to a
// host the loopback guard did not check.
var probeClient = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// preflight sends one authenticated probe (a health check, else a
// retrieve of a message nobody sent) to a --target before the attack, so
// wrong credentials are a configuration error (exit 2) rather than a run
// of 401s. Anything but a 401 (even no answer) lets the run go on: the
// report is the place for the target's other failures.
func preflight(ctx context.Context, env *environment, target string) error {
	t, ok := healthTarget(env)
	if target == "" || !ok {
		return nil
	}
	code, _, err := send(ctx, &t)
	if err == nil && code == http.StatusUnauthorized {
		return fmt.Errorf("%s: the target answered 401 to %s %s (check the credentials, or %s)",
			credentialFlags(env.d), t.Method, pathOf(t.URL), credentialVars(env.d))
	}
	return nil
}

// probeLimit is the limit relative stage rates ("3x") are multiples of:
// the one the vendor advertises (Modica: X-RateLimit-Limit of a health
// check), else the documented one (the profile's ratelimit.limit, else
// the dialect's).
func probeLimit(ctx context.Context, env *environment, documented int) (int, error) {
	model := env.d.RateLimit()
	if model.LimitHeader == "" {
		if documented > 0 {
			return documented, nil
		}
		return 0, fmt.Errorf("relative rates (x): %s advertises and documents no rate limit; give the profile ratelimit.limit or absolute rates", env.d.Info().Name)
	}
	t, ok := healthTarget(env)
	if !ok {
		return 0, fmt.Errorf("relative rates (x): %s has no request to read %s from", env.d.Info().Name, model.LimitHeader)
	}
	code, h, err := send(ctx, &t)
	if err != nil {
		return 0, fmt.Errorf("probe %s: %w", model.LimitHeader, err)
	}
	v := h.Get(model.LimitHeader)
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("probe %s: %s %s answered %d with %s %q; relative rates (x) need a positive advertised limit", model.LimitHeader, t.Method, pathOf(t.URL), code, model.LimitHeader, v)
	}
	return n, nil
}

// healthTarget is the dialect's probe request with the run's credentials;
// false when the dialect has none.
func healthTarget(env *environment) (vegeta.Target, bool) {
	g := NewGenerator(TargetConfig{BaseURL: env.base, Dialect: env.d, Auth: env.auth,
		Mix: []profiles.OpWeight{{Op: profiles.OpHealthz, Weight: 1}}, Payload: profiles.Payload{Variants: []profiles.OpWeight{{Op: profiles.VariantText, Weight: 1}}}}, nil)
	var t vegeta.Target
	_ = g.Targeter()(&t)
	return t, t.Method != ""
}

// credentialFlags and credentialVars name a dialect's credentials.
func credentialFlags(d dialect.Dialect) string {
	var out []string
	for _, c := range d.Info().Credentials {
		out = append(out, c.Flag)
	}
	return strings.Join(out, "/")
}

func credentialVars(d dialect.Dialect) string {
	var out []string
	for _, c := range d.Info().Credentials {
		out = append(out, "$"+c.Env)
	}
	return strings.Join(out, "/")
}

// send performs one request outside the attack.
func send(ctx context.Context, t *vegeta.Target) (int, http.Header, error) {
	req, err := t.Request()
	if err != nil {
		return 0, nil, err
	}
	resp, err := probeClient.Do(req.WithContext(ctx))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header, nil
}

// minRetryAfter is the spec's lower bound for Retry-After, waited when a 429
// carried no usable value.
const minRetryAfter = 10

// probeRecovery waits as long as the longest Retry-After asked for (from
// the last 429), bounded by maxWait, then sends GET /healthz (rate limited
// like every operation, and without side effects) and checks that it is
// answered 2xx. phase tells the progress line what the run is waiting for.
func probeRecovery(ctx context.Context, env *environment, rl *RateLimitTally, maxWait time.Duration, phase func(string)) summary.RecoverySummary {
	if rl.Limited == 0 {
		return summary.RecoverySummary{Note: "no 429 was answered, so there was nothing to recover from"}
	}
	secs := rl.MaxRetryAfter
	note := ""
	if secs == 0 {
		secs = minRetryAfter
		note = "no valid Retry-After; waited the spec minimum of 10 s. "
	}
	wait := time.Duration(secs) * time.Second
	if wait > maxWait {
		return summary.RecoverySummary{Note: fmt.Sprintf("Retry-After %d s exceeds ratelimit.max_wait %s; recovery not probed", secs, maxWait)}
	}
	until := rl.LastLimited.Add(wait)
	phase(fmt.Sprintf("recovery probe, waiting Retry-After %ds", secs))
	if d := time.Until(until); d > 0 {
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return summary.RecoverySummary{Note: "interrupted while waiting for Retry-After"}
		case <-timer.C:
		}
	}
	t, ok := healthTarget(env)
	if !ok {
		return summary.RecoverySummary{Note: note + env.d.Info().Name + " has no request to probe recovery with"}
	}
	code, _, err := send(ctx, &t)
	out := summary.RecoverySummary{Checked: true, Waited: wait, Status: code, OK: code >= 200 && code < 300}
	switch {
	case err != nil:
		out.Note = note + "probe failed: " + err.Error()
	case !out.OK:
		out.Note = note + fmt.Sprintf("after waiting %d s as told, %s %s still answered %d", secs, t.Method, pathOf(t.URL), code)
	default:
		out.Note = note + fmt.Sprintf("after waiting %d s as told, %s %s answered %d", secs, t.Method, pathOf(t.URL), code)
	}
	return out
}

// documentedLimit is the per-second limit profile p gives
// (ratelimit.limit), else the one the dialect documents; 0 for a profile
// without a ratelimit section.
func documentedLimit(p *profiles.Profile, d dialect.Dialect) int {
	if p.RateLimit == nil {
		return 0
	}
	if p.RateLimit.Limit > 0 {
		return p.RateLimit.Limit
	}
	return d.RateLimit().Documented
}
