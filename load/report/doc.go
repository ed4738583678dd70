// Package report renders a load run's summary (package summary): the
// self-contained load.html (tables, thresholds, inline SVG charts of
// throughput by status, latency percentiles over time, schedule lag, the
// latency histogram, 429 onset against the limit, DLRs) and vegeta's
// latency plot, plot.html, streamed from results.bin.
//
// It reads summaries and result files only; it knows nothing of the engine
// that produced them.
package report
