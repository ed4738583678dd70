// Package compare puts two or more wabcheck run folders side by side: the
// vendor-acceptance view. It reads conform runs (summary.json and run.json)
// and load runs (summary.json), aligns conform scenarios by feature and
// scenario name (names are stable across vendors by design), and computes
// per run what a person choosing between vendors, spec versions or days
// asks for: each scenario's outcome with its skip reason, spec coverage,
// response latency, send → final-status latency, rate-limit findings and
// the verdict; for load runs throughput, success, latency, delivery-receipt
// completeness and latency, rate limiting and the thresholds' verdict.
//
// A Comparison renders as compare.html (one self-contained page, WriteHTML),
// a text table (WriteText) and JSON. The package names no vendor: what it
// needs to know of one (which statuses are final) comes from the record or
// from the vendor's registered dialect.
package compare
