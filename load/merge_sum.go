package load

// sumShards adds up what only the shard summaries know.
func sumShards(s *Summary, shards []*Summary) {
	v := &s.Validation
	v.ByCode, v.Examples = map[string]uint64{}, map[string][]string{}
	d := &s.Delivery
	d.ByStatus, d.Findings = map[string]uint64{}, map[string]uint64{}
	rl := &s.RateLimit
	// results.bin keeps no headers: the header checks come from the shards
	rl.Advertised, rl.BadRetryAfter, rl.NoLimitHeader, rl.MaxRetryAfter, rl.Examples = 0, 0, 0, 0, nil
	rl.Recovery.OK = true
	for _, sh := range shards {
		sumValidation(v, &sh.Validation)
		sumDelivery(d, &sh.Delivery)
		r := &sh.RateLimit
		rl.Checked = rl.Checked || r.Checked
		if rl.Advertised == 0 {
			rl.Advertised = r.Advertised
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
	if d.Enabled {
		d.Note = "merged: DLR latency percentiles are the highest shard's (an upper bound of the merged percentile); counts are sums"
	}
}

func sumValidation(v, sh *ValidationSummary) {
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

func sumDelivery(d, sh *DeliverySummary) {
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
	d.PeakRate += sh.PeakRate
	for k, n := range sh.ByStatus {
		d.ByStatus[k] += n
	}
	for k, n := range sh.Findings {
		d.Findings[k] += n
	}
	d.P50, d.P90, d.P95 = max(d.P50, sh.P50), max(d.P90, sh.P90), max(d.P95, sh.P95)
	d.P99, d.Max = max(d.P99, sh.P99), max(d.Max, sh.Max)
}
