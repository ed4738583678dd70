// Package all registers every dialect wabcheck ships and its simulator
// wire. Only package main (and tests that want every vendor) import it,
// for its side effect:
//
//	import _ "github.com/wabcheck/wabcheck/internal/dialect/all"
package all

import (
	// Each dialect and each wire registers itself in its init.
	_ "github.com/wabcheck/wabcheck/internal/dialect/modica"
	_ "github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"
	_ "github.com/wabcheck/wabcheck/internal/dialect/onprem"
	_ "github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremsim"
	_ "github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	_ "github.com/wabcheck/wabcheck/internal/dialect/ycloud/ycloudsim"
)
