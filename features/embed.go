// Package features holds wabcheck's conformance suite: Gherkin feature files,
// one per capability of a WhatsApp Business messaging API, written so that a
// vendor's engineer can read them. They are embedded so the wabcheck binary
// carries the whole suite; `wabcheck conform` runs them with the step library
// in package steps.
//
// Tags:
//
//	@sim-only     needs the simulator's admin API or magic numbers; skipped against a real target
//	@assisted     needs a person (for example to send a WhatsApp message from a phone); run only with --assisted
//	@slow         waits for real time (a Retry-After of at least 10 s); skipped unless asked for
//	@destructive  sends many real messages or bursts past the rate limit; skipped against a real target unless asked for
//	@serial       must not run concurrently with other scenarios (it exhausts the shared rate limit)
package features

import "embed"

// FS holds every *.feature file of the suite.
//
//go:embed *.feature
var FS embed.FS
