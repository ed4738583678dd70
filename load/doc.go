// Package load is the engine behind `wabcheck load`: an open-model load test
// of a WhatsApp Business messaging API built on vegeta's library.
//
// A Profile (YAML, built-ins embedded from profiles/) becomes a StagePacer
// (constant and ramping stages) and a Targeter (weighted operation mix with
// unique references and per-shard destination slices). Run drives the attack,
// streams every vegeta.Result through a Collector (vegeta Metrics, per-second
// tallies, schedule lag, spec validation off the hot path, delivery
// registration) and to results.bin, then evaluates the profile's Thresholds
// and writes load.html, plot.html and summary.json. Merge recomputes all of
// that from several shards' raw results.
package load
