package load

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/load/summary"
)

// sumShards adds up what only the shard summaries know.
func sumShards(s *summary.Summary, shards []*summary.Summary) {
	v := &s.Validation
	v.ByCode, v.Examples = map[string]uint64{}, map[string][]string{}
	d := &s.Delivery
	d.ByStatus, d.Findings = map[string]uint64{}, map[string]uint64{}
	rl := &s.RateLimit
	// results.bin keeps no headers: the header checks come from the shards
	rl.Advertised, rl.Documented, rl.BadRetryAfter, rl.NoLimitHeader, rl.MaxRetryAfter, rl.Examples = 0, 0, 0, 0, 0, nil
	rl.Recovery.OK = true
	for _, sh := range shards {
		sumValidation(v, &sh.Validation)
		sumDelivery(d, &sh.Delivery)
		r := &sh.RateLimit
		rl.Checked = rl.Checked || r.Checked
		if rl.Advertised == 0 {
			rl.Advertised = r.Advertised
		}
		if rl.Documented == 0 {
			rl.Documented = r.Documented
		}
		rl.Changed += r.Changed
		rl.BadRetryAfter += r.BadRetryAfter
		rl.NoLimitHeader += r.NoLimitHeader
		rl.MaxRetryAfter = max(rl.MaxRetryAfter, r.MaxRetryAfter)
		rl.Examples = append(rl.Examples, r.Examples...)
		rl.Recovery.Checked = rl.Recovery.Checked || r.Recovery.Checked
		rl.Recovery.OK = rl.Recovery.OK && (r.Recovery.OK || !r.Recovery.Checked)
		rl.Recovery.Waited = max(rl.Recovery.Waited, r.Recovery.Waited)
		rl.Recovery.Status = max(rl.Recovery.Status, r.Recovery.Status)
	}
	rl.Recovery.OK = rl.Recovery.OK && rl.Recovery.Checked
	rl.Recovery.Note = "merged: recovered only if every shard that probed recovered"
}

func sumValidation(v, sh *summary.ValidationSummary) {
	v.Enabled = v.Enabled || sh.Enabled
	v.Sample = max(v.Sample, sh.Sample)
	v.Validated += sh.Validated
	v.Skipped += sh.Skipped
	v.Truncated += sh.Truncated
	v.Violations += sh.Violations
	for k, n := range sh.ByCode {
		v.ByCode[k] += n
		v.Examples[k] = append(v.Examples[k], sh.Examples[k]...)[:min(len(v.Examples[k])+len(sh.Examples[k]), examplesPerCode)]
	}
}

func sumDelivery(d, sh *summary.DeliverySummary) {
	if !sh.Enabled {
		return
	}
	d.Enabled = true
	d.Accepted += sh.Accepted
	d.Terminal += sh.Terminal
	d.Missing += sh.Missing
	d.Duplicates += sh.Duplicates
	d.Unknown += sh.Unknown
	d.Illegal += sh.Illegal
	d.Callbacks += sh.Callbacks
	d.Posts += sh.Posts
	d.BatchedPosts += sh.BatchedPosts
	d.MaxBatch = max(d.MaxBatch, sh.MaxBatch)
	d.Late += sh.Late
	d.Settled += sh.Settled
	d.Forgotten += sh.Forgotten
	d.NotKept += sh.NotKept
	d.PeakRate += sh.PeakRate
	d.SignatureFailures += sh.SignatureFailures
	d.Verifying = d.Verifying || sh.Verifying
	for k, n := range sh.ByStatus {
		d.ByStatus[k] += n
	}
	for k, n := range sh.Findings {
		d.Findings[k] += n
	}
}

// mergeLatency sets d's DLR latency percentiles from the shards'
// histograms (LatencyFile) merged: as exact as one run's. A shard with
// terminal messages but no LatencyFile (written by a wabcheck before it
// existed) leaves only an upper bound: then every percentile is the
// highest of the merged histogram's and those shards' own, and the note
// names them. It returns the merged histogram, or nil when there is none
// or it is only an upper bound.
func mergeLatency(d *summary.DeliverySummary, dirs []string, shards []*summary.Summary) (func() *callbacks.LatencyHistogram, error) {
	if !d.Enabled {
		return nil, nil
	}
	merged := callbacks.NewLatencyHistogram()
	var without []string
	for i, sh := range shards {
		if !sh.Delivery.Enabled {
			continue
		}
		h, err := callbacks.ReadLatencyFile(filepath.Join(dirs[i], LatencyFile))
		if errors.Is(err, os.ErrNotExist) {
			if sh.Delivery.Terminal > 0 {
				without = append(without, dirs[i])
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if uint64(h.Count()) != sh.Delivery.Terminal {
			return nil, fmt.Errorf("merge %s: %s holds %d latencies, summary.json %d terminal messages", dirs[i], LatencyFile, h.Count(), sh.Delivery.Terminal)
		}
		if err := merged.Merge(h); err != nil {
			return nil, fmt.Errorf("merge %s: %w", dirs[i], err)
		}
	}
	setPercentiles(d, merged.Latency())
	d.Note = fmt.Sprintf("merged: DLR latency percentiles from the shards' %s histograms combined (at most %.2g %% above exact); counts are sums", LatencyFile, 100*d.LatencyError)
	if len(without) > 0 {
		upperBound(d, shards, without)
		return nil, nil // not the whole distribution: write no LatencyFile
	}
	return func() *callbacks.LatencyHistogram { return merged }, nil
}

// upperBound raises d's percentiles to those of the shards without a
// LatencyFile: the merged percentile is at most the highest part's.
func upperBound(d *summary.DeliverySummary, shards []*summary.Summary, without []string) {
	for _, sh := range shards {
		if sh.Delivery.Enabled && sh.Delivery.Terminal > 0 {
			x := &sh.Delivery
			d.P50, d.P90, d.P95 = max(d.P50, x.P50), max(d.P90, x.P90), max(d.P95, x.P95)
			d.P99, d.Max = max(d.P99, x.P99), max(d.Max, x.Max)
		}
	}
	d.Note = fmt.Sprintf("merged: %s has no %s (an older run), so DLR latency percentiles are an upper bound (the highest shard's); counts are sums",
		strings.Join(without, ", "), LatencyFile)
}
