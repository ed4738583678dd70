// Package wiretest holds the helpers the tests of each vendor's simulator
// wire (internal/dialect/<vendor>/<vendor>sim) share where they need the
// simulator core itself: Start builds a simulator of a wire on its spec,
// closed when the test ends, and FaultNames checks the wire's fault
// catalogue the same way for every vendor. The helpers that do not need
// the core are in internal/sim/simtest, which the core's own tests use
// too (this package imports internal/sim, so they cannot).
//
// Only _test.go files import it.
package wiretest
