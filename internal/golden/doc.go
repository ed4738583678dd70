// Package golden compares a test's output with a golden file under the
// test package's testdata/, or rewrites the file when the test binary
// runs with -update (go test ./pkg -update). Only _test.go files import
// it, and a test package that does must not define an -update flag of its
// own (golden defines it).
package golden
