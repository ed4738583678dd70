// Package threshold is the language of load thresholds: `metric op value`
// expressions ("p99 < 300ms", "success >= 99%", "ratelimit_onset within
// 10%"), the metrics they may name and the units each accepts, and their
// evaluation against measured values (pass, fail, skipped, no data).
//
// A profile parses its thresholds with Parse; a run's summary supplies the
// measured values and keeps the Results. The package knows neither.
package threshold
