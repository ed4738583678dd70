package speclint

import (
	"fmt"
	"regexp"
)

// ECMARegexp compiles pattern with the meaning ECMA-262 gives it (the
// dialect OpenAPI patterns are written in and JavaScript clients match
// with): with the u flag when that parses, else as a plain RegExp without
// flags (Annex B). The result is a Go regexp that accepts exactly what the
// ECMA pattern accepts. It fails when ECMA rejects the pattern in both
// modes, or when the pattern uses a construct RE2 cannot express
// (lookaround, backreferences). Other packages (internal/probe) use it to
// generate values that break a pattern the way a real client sees it.
func ECMARegexp(pattern string) (*regexp.Regexp, error) {
	var firstErr error
	for _, unicodeMode := range []bool{true, false} {
		r := parseECMA(pattern, unicodeMode)
		switch {
		case r.Err != nil:
			if firstErr == nil {
				firstErr = fmt.Errorf("pattern %s is not ECMA-262: %w", qp(pattern), r.Err)
			}
			continue
		case r.GoEquiv == "":
			return nil, fmt.Errorf("pattern %s uses %s, which RE2 cannot express", qp(pattern), r.NoRE2)
		}
		re, err := regexp.Compile(r.GoEquiv)
		if err != nil {
			return nil, fmt.Errorf("pattern %s: %w", qp(pattern), err)
		}
		return re, nil
	}
	return nil, firstErr
}
