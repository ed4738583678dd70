// Package load is the engine behind `wabcheck load`: an open-model load test
// of a WhatsApp Business messaging API built on vegeta's library.
//
// A profiles.Profile becomes a StagePacer (constant and ramping stages) and
// a Targeter (weighted operation mix with unique references and per-shard
// destination slices). Run drives the attack, streams every vegeta.Result
// through a Collector (vegeta Metrics, per-second tallies, schedule lag,
// spec validation off the hot path, delivery registration) and to
// results.bin, fills a summary.Summary, evaluates the profile's thresholds
// and writes the run folder: summary.json, the receipt-latency histogram
// (LatencyFile), and load.html and plot.html (package report). Merge
// recomputes all of that from several shards' raw results.
//
// What the engine runs and writes are packages of their own that never
// import it: profiles, threshold, summary and report.
package load
