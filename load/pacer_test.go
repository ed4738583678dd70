package load

import (
	"math"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/load/profiles"
)

// simulate drives the pacer like vegeta does, with a virtual clock, and
// counts the hits sent in each stage.
func simulate(p *StagePacer, stages []profiles.Stage) []int {
	counts := make([]int, len(stages))
	var elapsed time.Duration
	var hits uint64
	for {
		wait, stop := p.Pace(elapsed, hits)
		if stop {
			return counts
		}
		elapsed += wait
		var end time.Duration
		for i, s := range stages {
			end += s.Duration
			if elapsed < end {
				counts[i]++
				break
			}
		}
		hits++
	}
}

func TestStagePacerHitsPerStage(t *testing.T) {
	cases := []struct {
		name   string
		stages []profiles.Stage
		want   []int
	}{
		{"constant", []profiles.Stage{{Duration: 2 * time.Second, From: profiles.Rate{Value: 100}, To: profiles.Rate{Value: 100}}}, []int{200}},
		{"ramp up", []profiles.Stage{{Duration: 10 * time.Second, From: profiles.Rate{Value: 10}, To: profiles.Rate{Value: 30}}}, []int{200}},
		{"ramp then hold", []profiles.Stage{
			{Duration: 5 * time.Second, From: profiles.Rate{Value: 0}, To: profiles.Rate{Value: 40}},
			{Duration: 5 * time.Second, From: profiles.Rate{Value: 40}, To: profiles.Rate{Value: 40}},
		}, []int{100, 200}},
		{"ramp down", []profiles.Stage{{Duration: 4 * time.Second, From: profiles.Rate{Value: 50}, To: profiles.Rate{Value: 10}}}, []int{120}},
		{"fractional", []profiles.Stage{{Duration: 3 * time.Second, From: profiles.Rate{Value: 0.5}, To: profiles.Rate{Value: 0.5}}}, []int{2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := NewStagePacer(c.stages)
			got := simulate(p, c.stages)
			for i := range c.want {
				if got[i] != c.want[i] {
					t.Errorf("stage %d: %d hits, want %d (all %v)", i, got[i], c.want[i], got)
				}
			}
			if total := sum(c.want); p.Hits() != uint64(total) {
				t.Errorf("Hits() = %d, want %d", p.Hits(), total)
			}
		})
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func TestPlannedAtInvertsTheRamp(t *testing.T) {
	st := []profiles.Stage{{Duration: 10 * time.Second, From: profiles.Rate{Value: 10}, To: profiles.Rate{Value: 30}}}
	p := NewStagePacer(st)
	// cumulative hits at t: 10t + t²; hit 75 is due where 10t+t² = 75: t = 5
	at, ok := p.PlannedAt(75)
	if !ok || math.Abs(at.Seconds()-5) > 1e-6 {
		t.Errorf("PlannedAt(75) = %v, %v; want 5s", at, ok)
	}
	if _, ok := p.PlannedAt(200); ok {
		t.Error("PlannedAt(200) should be past the plan")
	}
	if r := p.Rate(5 * time.Second); r != 20 {
		t.Errorf("Rate(5s) = %v, want 20", r)
	}
}

func TestUnpacedPacer(t *testing.T) {
	p := NewStagePacer([]profiles.Stage{{Duration: time.Second}})
	if !p.Unpaced() {
		t.Fatal("rate 0 should be unpaced")
	}
	if w, stop := p.Pace(500*time.Millisecond, 1e6); w != 0 || stop {
		t.Errorf("Pace = %v, %v", w, stop)
	}
	if _, stop := p.Pace(time.Second, 0); !stop {
		t.Error("should stop after the duration")
	}
}
