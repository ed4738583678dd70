// Package conform runs wabcheck's conformance suite (package features, with
// the step library of package steps) against a target: a vendor's endpoint,
// or, by default, the simulator started in-process on a free loopback port
// with its callbacks pointed at the harness's receiver, also in-process.
//
// Run collects everything into a report.Run: each feature, scenario and step
// with status, duration and error; each HTTP exchange (credentials redacted,
// bodies truncated) with its validation findings; each message's callbacks;
// and the spec coverage. Package report writes it out.
//
// Scenarios run concurrently (Options.Concurrency), except those tagged
// @serial (they exhaust the shared rate limit), which run one at a time
// afterwards.
package conform
