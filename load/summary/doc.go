// Package summary is the record of one load run: Summary, what a run (or
// a merge of shard runs) measured — requests, latency percentiles and
// histogram, status codes, error kinds, the per-second timeline,
// validation, rate-limit and delivery accounting, threshold results —
// written as summary.json and read back by merge, the reports and
// `wabcheck report compare`.
//
// Values turns a summary into the measured value of every threshold
// metric (or why there is none) and Evaluate judges the thresholds. The
// engine (package load) fills summaries; package report renders them.
package summary
