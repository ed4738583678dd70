package load

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/load/profiles"
	"github.com/wabcheck/wabcheck/load/summary"
)

// latencyShard writes a shard folder whose receiver recorded lat: an empty
// results.bin, a summary.json with delivery accounting and, unless
// withoutFile, its LatencyFile.
func latencyShard(t *testing.T, dir string, i int, lat []time.Duration, withoutFile bool) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h := callbacks.NewLatencyHistogram()
	for _, d := range lat {
		h.Record(d)
	}
	s := &summary.Summary{Profile: "p", Attack: fmt.Sprintf("p/shard-%d", i), Start: time.Now(), End: time.Now(),
		Stages: []summary.StageSummary{{Duration: time.Second, From: 10, To: 10}}}
	s.Delivery = summary.DeliverySummary{Enabled: true, Accepted: uint64(len(lat)), Terminal: uint64(len(lat)),
		ByStatus: map[string]uint64{"received": uint64(len(lat))}, Late: uint64(i), Settled: uint64(len(lat))}
	setPercentiles(&s.Delivery, h.Latency())
	latency := func() *callbacks.LatencyHistogram { return h }
	if withoutFile {
		latency = nil
	}
	for _, write := range []func() error{func() error { return s.WriteJSON(dir) }, func() error { return writeLatency(dir, &s.Delivery, latency) },
		func() error { return os.WriteFile(filepath.Join(dir, "results.bin"), nil, 0o644) }} {
		if err := write(); err != nil {
			t.Fatal(err)
		}
	}
}

// nearestRank is the exact q-quantile of sorted values.
func nearestRank(sorted []time.Duration, q float64) time.Duration {
	return sorted[max(int(math.Ceil(q*float64(len(sorted))))-1, 0)]
}

// TestMergedReceiptLatencyIsExact is issue 12 item 2: three shards' DLR
// latencies merged give the percentiles of one histogram over all the
// recorded latencies, within its stated error of the exact values (the
// merge used to report the highest shard's, an upper bound).
func TestMergedReceiptLatencyIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2))
	root := t.TempDir()
	single := callbacks.NewLatencyHistogram()
	var all []time.Duration
	dirs := make([]string, 3)
	for i := range dirs {
		// shards of different speed: their percentiles differ a lot
		lat := make([]time.Duration, 3000+1000*i)
		for j := range lat {
			lat[j] = time.Duration((1 + rng.ExpFloat64()*float64(10*(i+1))) * float64(time.Millisecond))
			single.Record(lat[j])
		}
		all = append(all, lat...)
		dirs[i] = filepath.Join(root, fmt.Sprintf("shard-%d", i))
		latencyShard(t, dirs[i], i, lat, false)
	}
	res, err := Merge(MergeOptions{Dirs: dirs, ReportDir: filepath.Join(root, "merged")})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Summary.Delivery
	slices.Sort(all)
	want := single.Latency()
	for _, c := range []struct {
		name          string
		got, hist, ex time.Duration
	}{{"p50", d.P50, want.P50, nearestRank(all, 0.50)}, {"p95", d.P95, want.P95, nearestRank(all, 0.95)},
		{"p99", d.P99, want.P99, nearestRank(all, 0.99)}, {"max", d.Max, want.Max, all[len(all)-1]}} {
		if c.got != c.hist {
			t.Errorf("%s: merged %v, one histogram over the same latencies %v", c.name, c.got, c.hist)
		}
		if c.got < c.ex || float64(c.got-c.ex) > callbacks.LatencyRelativeError*float64(c.ex) {
			t.Errorf("%s: merged %v, exact %v: beyond the stated error %v", c.name, c.got, c.ex, callbacks.LatencyRelativeError)
		}
	}
	if d.Terminal != uint64(len(all)) || d.Late != 0+1+2 || strings.Contains(d.Note, "upper bound") {
		t.Errorf("merged terminal %d, late %d, note %q", d.Terminal, d.Late, d.Note)
	}
	again, err := callbacks.ReadLatencyFile(filepath.Join(res.Dir, LatencyFile))
	if err != nil || again.Count() != int64(len(all)) || again.Latency() != want {
		t.Errorf("the merged folder's %s: %v, %+v; want %+v", LatencyFile, err, again.Latency(), want)
	}
}

// TestMergeWithoutLatencyFileIsAnUpperBound: a shard from a wabcheck that
// wrote no LatencyFile leaves only an upper bound, and the note says so.
func TestMergeWithoutLatencyFileIsAnUpperBound(t *testing.T) {
	root := t.TempDir()
	fast := []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}
	slow := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}
	dirs := []string{filepath.Join(root, "new"), filepath.Join(root, "old")}
	latencyShard(t, dirs[0], 0, fast, false)
	latencyShard(t, dirs[1], 1, slow, true)
	res, err := Merge(MergeOptions{Dirs: dirs, ReportDir: filepath.Join(root, "merged")})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Summary.Delivery
	old, err := summary.Read(dirs[1])
	if err != nil {
		t.Fatal(err)
	}
	if d.P50 != old.Delivery.P50 || d.P50 < 2*time.Second || d.Max != 3*time.Second || !strings.Contains(d.Note, "upper bound") || !strings.Contains(d.Note, dirs[1]) {
		t.Errorf("p50 %v max %v note %q; want the old shard's (%v) as an upper bound, named", d.P50, d.Max, d.Note, old.Delivery.P50)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, LatencyFile)); !os.IsNotExist(err) {
		t.Errorf("a merge that is only an upper bound wrote %s (%v)", LatencyFile, err)
	}
}

// TestMergeRejectsBadLatencyFile: a LatencyFile that is not one, or that
// disagrees with its summary.json, stops the merge with one line naming it.
func TestMergeRejectsBadLatencyFile(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":   "not json",
		"format":    `{"format":"something-else","version":1}`,
		"version":   `{"format":"wabcheck-dlr-latency","version":99}`,
		"truncated": `{"format":"wabcheck-dlr-latency","version":1,"unit":"ns","lowest_ns":1,"highest_ns":86400000000000,"significant_digits":3,"hdr_v2_compressed":"HISTFAAAA"}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "shard")
			latencyShard(t, dir, 0, []time.Duration{time.Millisecond}, false)
			if err := os.WriteFile(filepath.Join(dir, LatencyFile), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Merge(MergeOptions{Dirs: []string{dir}, ReportDir: filepath.Join(t.TempDir(), "m")})
			if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, LatencyFile)) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line naming the file", err)
			}
		})
	}
	dir := filepath.Join(t.TempDir(), "shard")
	latencyShard(t, dir, 0, []time.Duration{time.Millisecond, time.Second}, false)
	s, _ := summary.Read(dir)
	s.Delivery.Terminal = 5
	if err := s.WriteJSON(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(MergeOptions{Dirs: []string{dir}, ReportDir: filepath.Join(t.TempDir(), "m")}); err == nil || !strings.Contains(err.Error(), "terminal") {
		t.Errorf("a histogram of 2 latencies for 5 terminal messages merged: %v", err)
	}
}

// TestShardsWithDeliveryMerge runs three shards against their own
// in-process simulators and merges them: each writes its LatencyFile, and
// the merge's percentiles come from the combined histograms.
func TestShardsWithDeliveryMerge(t *testing.T) {
	p, err := profiles.Parse("t", []byte("name: dlr\nstages:\n  - {duration: 1s, rate: 60}\ngrace: 20s\nthresholds:\n  - dlr_complete >= 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dirs := make([]string, 3)
	var sum uint64
	var lows, highs []time.Duration
	for i := range dirs {
		dirs[i] = filepath.Join(root, fmt.Sprintf("shard-%d", i))
		res, err := Run(context.Background(), Options{Profile: p, Dialect: modica.New(), Doc: modicaspec.MustDoc(), ReportDir: dirs[i], Shard: Shard{Index: i, Count: 3}})
		if err != nil {
			t.Fatal(err)
		}
		d := res.Summary.Delivery
		h, err := callbacks.ReadLatencyFile(filepath.Join(res.Dir, LatencyFile))
		if err != nil || uint64(h.Count()) != d.Terminal || d.Terminal == 0 || d.Missing != 0 {
			t.Fatalf("shard %d: %s %v (%d latencies) for %d terminal, %d missing", i, LatencyFile, err, h.Count(), d.Terminal, d.Missing)
		}
		sum += d.Terminal
		lows, highs = append(lows, d.P50), append(highs, d.P50)
	}
	merged, err := Merge(MergeOptions{Dirs: dirs, ReportDir: filepath.Join(root, "merged")})
	if err != nil {
		t.Fatal(err)
	}
	d := merged.Summary.Delivery
	if d.Terminal != sum || d.P50 < slices.Min(lows) || d.P50 > slices.Max(highs) || !strings.Contains(d.Note, "combined") {
		t.Errorf("merged terminal %d (want %d), p50 %v (shards %v), note %q", d.Terminal, sum, d.P50, lows, d.Note)
	}
	if h, err := callbacks.ReadLatencyFile(filepath.Join(merged.Dir, LatencyFile)); err != nil || uint64(h.Count()) != sum {
		t.Errorf("merged %s: %v", LatencyFile, err)
	}
}
