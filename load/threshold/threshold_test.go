package threshold

import (
	"strings"
	"testing"
)

func TestParseThreshold(t *testing.T) {
	cases := []struct {
		expr    string
		metric  string
		op      string
		value   float64
		wantErr string
	}{
		{expr: "p99 < 300ms", metric: "p99", op: "<", value: 0.3},
		{expr: "p95 <= 100ms", metric: "p95", op: "<=", value: 0.1},
		{expr: "success >= 0.99", metric: "success", op: ">=", value: 0.99},
		{expr: "success >= 99%", metric: "success", op: ">=", value: 0.99},
		{expr: "dlr_complete >= 0.999", metric: "dlr_complete", op: ">=", value: 0.999},
		{expr: "ratelimit_onset within 10%", metric: "ratelimit_onset", op: "within", value: 0.1},
		{expr: "schedule_lag_p99 < 50ms", metric: "schedule_lag_p99", op: "<", value: 0.05},
		{expr: "violations == 0", metric: "violations", op: "==", value: 0},
		{expr: "rate >= 500", metric: "rate", op: ">=", value: 500},
		{expr: "dlr_p99 < 1.5s", metric: "dlr_p99", op: "<", value: 1.5},
		{expr: "p50 < 800µs", metric: "p50", op: "<", value: 0.0008},
		{expr: "p99 <300ms", wantErr: "threshold \"p99 <300ms\": want `metric op value` like `p99 < 300ms`"},
		{expr: "p98 < 1s", wantErr: `unknown metric "p98"`},
		{expr: "p99 ~ 1s", wantErr: `unknown operator "~"`},
		{expr: "success >= 1.5", wantErr: `bad ratio "1.5"`},
		{expr: "p99 within 10%", wantErr: "within only applies to ratelimit_onset"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			th, err := Parse(c.expr)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if th.Metric != c.metric || th.Op != c.op || abs(th.Value-c.value) > 1e-12 {
				t.Errorf("got %+v", th)
			}
		})
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestEvaluate(t *testing.T) {
	parse := func(e string) Threshold {
		th, err := Parse(e)
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	values := map[string]Value{
		"p99":             {V: 0.25},
		"success":         {V: 0.98},
		"ratelimit_onset": {V: 104, Ref: 100},
		"violations":      {V: 0},
		"dlr_complete":    {State: StateOff},
		"rate":            {State: StateNoData},
	}
	cases := []struct {
		expr, status string
	}{
		{"p99 < 300ms", "pass"},
		{"p99 < 250ms", "fail"},
		{"p99 <= 250ms", "pass"},
		{"success >= 0.99", "fail"},
		{"ratelimit_onset within 5%", "pass"},
		{"ratelimit_onset within 3%", "fail"},
		{"violations == 0", "pass"},
		{"violations != 0", "fail"},
		{"dlr_complete >= 0.999", StateOff},
		{"rate >= 500", StateNoData},
	}
	for _, c := range cases {
		r := Evaluate([]Threshold{parse(c.expr)}, values)[0]
		if r.Status != c.status {
			t.Errorf("%s: status %s (%+v), want %s", c.expr, r.Status, r, c.status)
		}
		if want := c.status == "pass" || c.status == StateOff; r.Pass != want {
			t.Errorf("%s: pass %v, want %v", c.expr, r.Pass, want)
		}
	}
}
