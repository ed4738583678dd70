// Package archtest holds no code, only a test of wabcheck's import rules:
// the one-way layering of the neutral packages (cmd → conform, load,
// probe, compare → harness, steps → sim, callbacks, report → validate →
// leaves; load's parts — profiles, threshold, summary, report — sit under
// the run layer and import only leaves and each other along named
// edges, so neither they nor compare import the load engine), and the dialect seam (no neutral package imports a vendor's
// package under internal/dialect/<vendor>/; only internal/dialect/all
// does, and only cmd/wabcheck imports that; a vendor's packages import no
// run package nor another vendor's); and the test helpers
// (internal/sim/simtest, wiretest, internal/golden) are imported by no
// package, only by _test.go files. The rules are a table in arch_test.go;
// the test fails naming each import that breaks them.
package archtest
