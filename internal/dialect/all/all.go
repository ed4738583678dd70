// Package all registers every dialect wabcheck ships. Only package main
// (and tests that want every vendor) import it, for its side effect:
//
//	import _ "github.com/wabcheck/wabcheck/internal/dialect/all"
package all

import (
	// Each dialect registers itself in its init.
	_ "github.com/wabcheck/wabcheck/internal/dialect/modica"
)
