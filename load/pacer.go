package load

import (
	"math"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/load/profiles"
)

// StagePacer paces an attack through constant and linearly ramping stages.
// Hit n (0-based) is planned at the time t where the cumulative number of
// hits the stages call for reaches n; PlannedAt exposes that schedule so
// the schedule lag of each result can be measured.
type StagePacer struct {
	stages []pacerStage
	total  time.Duration
	max    bool // one stage with rate 0: as fast as possible
}

type pacerStage struct {
	start, dur float64 // seconds
	from, to   float64 // requests per second
	hitsBefore float64
}

var _ vegeta.Pacer = (*StagePacer)(nil)

// NewStagePacer builds the pacer from stages with absolute rates.
func NewStagePacer(stages []profiles.Stage) *StagePacer {
	p := &StagePacer{}
	var start, hits float64
	for _, s := range stages {
		d := s.Duration.Seconds()
		p.stages = append(p.stages, pacerStage{start: start, dur: d, from: s.From.Value, to: s.To.Value, hitsBefore: hits})
		start += d
		hits += (s.From.Value + s.To.Value) / 2 * d
		p.total += s.Duration
	}
	p.max = len(stages) == 1 && stages[0].From.Value == 0 && stages[0].To.Value == 0
	return p
}

// Unpaced reports whether the pacer sends as fast as possible (rate 0), in
// which case there is no schedule to lag behind.
func (p *StagePacer) Unpaced() bool { return p.max }

// Total is the sum of the stage durations.
func (p *StagePacer) Total() time.Duration { return p.total }

// Hits is the number of hits the stages plan in total.
func (p *StagePacer) Hits() uint64 {
	if len(p.stages) == 0 || p.max {
		return 0
	}
	last := p.stages[len(p.stages)-1]
	return uint64(math.Ceil(last.hitsBefore + (last.from+last.to)/2*last.dur - 1e-9))
}

// HitsBy is the number of hits due before elapsed: what the stages had
// planned by then (Hits when elapsed is the whole run).
func (p *StagePacer) HitsBy(elapsed time.Duration) uint64 {
	if p.max || elapsed <= 0 {
		return 0
	}
	t := elapsed.Seconds()
	var cum float64
	for _, s := range p.stages {
		x := min(max(t-s.start, 0), s.dur)
		cum = s.hitsBefore + s.from*x + (s.to-s.from)/(2*s.dur)*x*x
		if t < s.start+s.dur {
			break
		}
	}
	return uint64(math.Ceil(cum - 1e-9))
}

// StageHits is the number of hits each stage plans.
func (p *StagePacer) StageHits() []float64 {
	out := make([]float64, len(p.stages))
	for i, s := range p.stages {
		out[i] = (s.from + s.to) / 2 * s.dur
	}
	return out
}

// PlannedAt returns when hit n is due, from the start of the attack, and
// false when the stages plan fewer than n+1 hits.
func (p *StagePacer) PlannedAt(n uint64) (time.Duration, bool) {
	if p.max {
		return 0, true
	}
	m := float64(n)
	for _, s := range p.stages {
		inStage := (s.from + s.to) / 2 * s.dur
		if m >= s.hitsBefore+inStage {
			continue
		}
		x := offsetFor(m-s.hitsBefore, s)
		return time.Duration((s.start + x) * 1e9), true
	}
	return p.total, false
}

// offsetFor solves from*x + (to-from)/(2*dur)*x² = m for x in [0, dur].
func offsetFor(m float64, s pacerStage) float64 {
	if m <= 0 {
		return 0
	}
	k := (s.to - s.from) / (2 * s.dur)
	if k == 0 {
		return m / s.from
	}
	disc := s.from*s.from + 4*k*m
	if disc < 0 {
		disc = 0
	}
	return 2 * m / (s.from + math.Sqrt(disc))
}

// Pace implements vegeta.Pacer.
func (p *StagePacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if elapsed >= p.total {
		return 0, true
	}
	if p.max {
		return 0, false
	}
	due, ok := p.PlannedAt(hits)
	if !ok || due >= p.total {
		return 0, true
	}
	if due <= elapsed {
		return 0, false
	}
	return due - elapsed, false
}

// Rate implements vegeta.Pacer: the planned rate at elapsed.
func (p *StagePacer) Rate(elapsed time.Duration) float64 {
	t := elapsed.Seconds()
	for _, s := range p.stages {
		if t < s.start+s.dur {
			return s.from + (s.to-s.from)*(t-s.start)/s.dur
		}
	}
	return 0
}
