// Package simtest holds the helpers the simulator's and the dialects'
// tests share: the tests of the core (internal/sim), of each vendor's
// dialect and wire (internal/dialect/<vendor>, <vendor>sim) and of
// callback dispatch. It loads a dialect's spec and validator once per test
// binary and checks requests and answers against it (Spec), keeps a
// settable clock (Clock), records the webhook POSTs a simulator makes
// (Receiver), waits for a condition (WaitFor), serves a request into a
// recorder (Serve) and collects logs from goroutines (SyncBuffer).
//
// It is a normal package so that every test package can import it, but
// only _test.go files do: nothing in the binary depends on it. It imports
// neither internal/sim nor internal/dispatch, whose in-package tests use
// it; the helpers that need the simulator core are in internal/sim/wiretest.
package simtest
