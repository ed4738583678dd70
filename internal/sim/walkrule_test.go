package sim

import (
	"strings"
	"testing"
)

// A walk rule picks the path of recipients the magic numbers do not name
// (before the ratios); a magic number still wins over a rule.
func TestWalkRulePicksPathByNumber(t *testing.T) {
	st := func(n string, p Phase) Step { return Step{Status: n, Phase: p} }
	fail := &Walk{Name: "not-a-user", Steps: []Step{st("failed", PhaseSend)}}
	magic := &Walk{Name: "magic", Steps: []Step{st("sent", PhaseSend)}}
	w := (&toyWire{}).Walks()
	w.Magic = map[string]*Walk{"+0111": magic}
	w.Rules = []WalkRule{{Match: func(to string) bool { return strings.HasPrefix(to, "+0") }, Walk: fail}}
	all := ratios{fail: 1} // every other message would take the "fail" ratio path
	for _, tt := range []struct {
		to   string
		want *Walk
	}{{"+0211234567", fail}, {"+0111", magic}, {"+15551234567", w.Failures["fail"]}} {
		if got := w.choose(tt.to, all, 0, 0); got != tt.want {
			t.Errorf("choose(%s) = %v, want %v", tt.to, got.Name, tt.want.Name)
		}
	}
	if got := w.choose("+15551234567", ratios{}, 0.5, 0.9); got != w.Delivered {
		t.Errorf("an ordinary number took %q", got.Name)
	}
}

// A rule without Match or steps is the wire's mistake, found at start.
func TestWalkRuleChecked(t *testing.T) {
	w := (&toyWire{}).Walks()
	w.Rules = []WalkRule{{Walk: w.Delivered}}
	if err := w.check(toyStatuses); err == nil || !strings.Contains(err.Error(), "walk rule 0") {
		t.Errorf("check = %v, want the bad rule named", err)
	}
}
