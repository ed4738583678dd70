package load

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/summary"
	"github.com/wabcheck/wabcheck/load/threshold"
)

// MergeOptions configures Merge.
type MergeOptions struct {
	Dirs                  []string // shard run folders (summary.json + results.bin)
	ReportRoot, ReportDir string
	Now                   func() time.Time
}

// Merge combines shard runs into a new run folder. Every request metric,
// percentile, the timeline, schedule lag and the thresholds are recomputed
// from the shards' raw results (never by averaging percentiles). Counts that
// live only in the shard summaries (validation findings, rate-limit header
// checks, delivery accounting) are summed; DLR latency percentiles come
// from the shards' receipt-latency histograms (LatencyFile) merged, as
// exact as a single run's.
func Merge(o MergeOptions) (*Result, error) {
	if len(o.Dirs) == 0 {
		return nil, fmt.Errorf("merge: name at least one shard run folder")
	}
	shards := make([]*summary.Summary, len(o.Dirs))
	schedules := map[string]Schedule{}
	var start time.Time
	for i, d := range o.Dirs {
		s, err := summary.Read(d)
		if err != nil {
			return nil, fmt.Errorf("merge %s: %w", d, err)
		}
		shards[i] = s
		if _, dup := schedules[s.Attack]; dup {
			return nil, fmt.Errorf("merge %s: attack %q appears twice (each shard needs its own --shard I/N)", d, s.Attack)
		}
		schedules[s.Attack] = Schedule{Pacer: NewStagePacer(stagesOf(s)), Start: s.Start}
		if start.IsZero() || s.Start.Before(start) {
			start = s.Start
		}
	}
	ths, err := thresholdsOf(shards[0])
	if err != nil {
		return nil, err
	}
	run, err := newRunDir(o.ReportRoot, o.ReportDir, o.Now)
	if err != nil {
		return nil, err
	}
	s, latency, err := mergeResults(o.Dirs, shards, schedules, start, run.Dir)
	if err != nil {
		_ = run.Discard() // a half-merged results.bin is worth nothing
		return nil, err
	}
	s.Evaluate(ths)
	res, err := publish(s, latency, run)
	if err != nil {
		_ = run.Discard()
		return nil, err
	}
	return res, nil
}

func stagesOf(s *summary.Summary) []profiles.Stage {
	out := make([]profiles.Stage, len(s.Stages))
	for i, st := range s.Stages {
		out[i] = profiles.Stage{Duration: st.Duration, From: profiles.Rate{Value: st.From}, To: profiles.Rate{Value: st.To}}
	}
	return out
}

func thresholdsOf(s *summary.Summary) ([]threshold.Threshold, error) {
	var out []threshold.Threshold
	for _, t := range s.Thresholds {
		th, err := threshold.Parse(t.Expr)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		out = append(out, th)
	}
	return out, nil
}

// mergeResults recomputes the shards' results into dir/results.bin and
// returns the merged summary and the receipt-latency histogram behind its
// delivery percentiles (nil when there is none, or only an upper bound).
func mergeResults(dirs []string, shards []*summary.Summary, schedules map[string]Schedule, start time.Time, dir string) (*summary.Summary, func() *callbacks.LatencyHistogram, error) {
	out, err := os.Create(filepath.Join(dir, "results.bin"))
	if err != nil {
		return nil, nil, fmt.Errorf("merge: %w", err)
	}
	defer out.Close()
	var budget, planned time.Duration
	for _, s := range shards {
		budget = max(budget, s.End.Sub(start)+time.Minute)
		planned = max(planned, s.Planned)
	}
	d, _ := dialect.Get(shards[0].Vendor) // nil for a shard of an older version: no rate-limit model
	c := NewCollector(CollectorConfig{Start: start, Budget: budget, Results: out, Schedules: schedules, Dialect: d})
	for _, d := range dirs {
		if err := feed(c, filepath.Join(d, "results.bin")); err != nil {
			return nil, nil, err
		}
	}
	if err := c.Close(); err != nil {
		return nil, nil, fmt.Errorf("merge results.bin: %w", err)
	}
	s := mergedSummary(dirs, shards, start, planned)
	rate := func(t time.Duration) float64 {
		var r float64
		for _, sc := range schedules {
			r += sc.Pacer.Rate(t - sc.Start.Sub(start))
		}
		return r
	}
	fillSummary(s, c, rate)
	s.SetSentRatio()
	sumShards(s, shards)
	latency, err := mergeLatency(&s.Delivery, dirs, shards)
	if err != nil {
		return nil, nil, err
	}
	return s, latency, nil
}

// mergedSummary starts the merged summary from the shards' own: the first
// shard's profile, spec and stages, the latest end, the sum of the planned
// requests.
func mergedSummary(dirs []string, shards []*summary.Summary, start time.Time, planned time.Duration) *summary.Summary {
	first := shards[0]
	s := &summary.Summary{Tool: "wabcheck load merge", Profile: first.Profile, Description: first.Description, Source: first.Source,
		Attack: first.Profile, Target: first.Target, InProcess: first.InProcess, Start: start, Planned: planned,
		Spec: first.Spec, Errata: first.Errata, CallbackURL: first.CallbackURL, Stages: first.Stages}
	for i, sh := range shards {
		s.Shards = append(s.Shards, dirs[i])
		s.End = maxTime(s.End, sh.End)
		s.Interrupted = s.Interrupted || sh.Interrupted
		s.RequestsPlanned += sh.RequestsPlanned
		if sh.PlannedNote != "" {
			s.PlannedNote = "merged: the sum of the shards' plans; " + sh.PlannedNote
		}
	}
	return s
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// feed decodes one results.bin into the collector.
func feed(c *Collector, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if st.Size() == 0 {
		return nil // the shard sent nothing
	}
	dec := vegeta.DecoderFor(bufio.NewReaderSize(f, 256<<10))
	if dec == nil {
		return fmt.Errorf("merge %s: not a vegeta results file (gob, JSON or CSV)", path)
	}
	for {
		r := new(vegeta.Result)
		if err := dec.Decode(r); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("merge %s: %w", path, err)
		}
		c.Add(r)
	}
}
