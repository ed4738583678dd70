package speclint

import (
	"regexp"
	"testing"
)

func TestParseECMA(t *testing.T) {
	cases := []struct {
		pattern         string
		uErr, legacyErr bool
		noRE2           bool
		match, noMatch  string // value the ECMA meaning accepts / rejects
	}{
		{pattern: `^\d{3}$`, match: "123", noMatch: "12a"},
		{pattern: `^\[1-9]$`, uErr: true, match: "[1-9]", noMatch: "5"},
		{pattern: `^a\'b$`, uErr: true, match: "a'b", noMatch: "ab"},
		{pattern: `^[\[\]]+$`, match: "[]", noMatch: "a"},
		{pattern: `^\u00e9$`, match: "é", noMatch: "e"},
		{pattern: `^\u{1F600}$`, match: "😀", noMatch: "a", legacyErr: false},
		{pattern: `^\p{Lu}+$`, match: "ÀB", noMatch: "ab"},
		{pattern: `^\p{Script=Greek}$`, match: "α", noMatch: "a"},
		{pattern: `^\p{Greek}$`, uErr: true, match: "p{Greek}", noMatch: "α"},
		{pattern: `^a\sb$`, match: "a\u00a0b", noMatch: "ab"},
		{pattern: `^[^]$`, match: "\n", noMatch: "ab"},
		{pattern: `^.$`, match: "a", noMatch: "\r"},
		{pattern: `(?=a)a`, noRE2: true},
		{pattern: `(a)\1`, noRE2: true},
		{pattern: `(?<x>a)\k<x>`, noRE2: true},
		{pattern: `(?i)a`, uErr: true, legacyErr: true},
		{pattern: `a*+`, uErr: true, legacyErr: true},
		{pattern: `a++`, uErr: true, legacyErr: true},
		{pattern: `(?>a)`, uErr: true, legacyErr: true},
		{pattern: `(?P<n>a)`, uErr: true, legacyErr: true},
		{pattern: `a{2,1}`, uErr: true, legacyErr: true},
		{pattern: `[z-a]`, uErr: true, legacyErr: true},
		{pattern: `abc\Z`, uErr: true, match: "abcZ", noMatch: "abc"},
		{pattern: `a{`, uErr: true, match: "a{", noMatch: "a"},
		{pattern: `a{1,2000}`, noRE2: true},
		{pattern: `(`, uErr: true, legacyErr: true},
		{pattern: `\`, uErr: true, legacyErr: true},
	}
	for _, c := range cases {
		u, legacy := parseECMA(c.pattern, true), parseECMA(c.pattern, false)
		if (u.Err != nil) != c.uErr || (legacy.Err != nil) != c.legacyErr {
			t.Errorf("%q: u err %v (want %v), legacy err %v (want %v)", c.pattern, u.Err, c.uErr, legacy.Err, c.legacyErr)
			continue
		}
		r := u
		if u.Err != nil {
			r = legacy
		}
		if r.Err != nil {
			continue
		}
		if (r.NoRE2 != "") != c.noRE2 {
			t.Errorf("%q: NoRE2 %q, want %v", c.pattern, r.NoRE2, c.noRE2)
			continue
		}
		if c.noRE2 || (c.match == "" && c.noMatch == "") {
			continue
		}
		re, err := regexp.Compile(r.GoEquiv)
		if err != nil {
			t.Errorf("%q: translation %q does not compile: %v", c.pattern, r.GoEquiv, err)
			continue
		}
		if !re.MatchString(c.match) || re.MatchString(c.noMatch) {
			t.Errorf("%q (%q): match %q=%v, %q=%v", c.pattern, r.GoEquiv, c.match, re.MatchString(c.match), c.noMatch, re.MatchString(c.noMatch))
		}
	}
}

func TestCheckCallbackExpr(t *testing.T) {
	for expr, valid := range map[string]bool{
		"{$request.body#/url}":                    true,
		"{$url}":                                  true,
		"{$method}":                               true,
		"{$statusCode}":                           true,
		"{$request.header.X-Callback}":            true,
		"{$response.body#/links/0~1x}":            true,
		"{$request.query.cb}":                     true,
		"{$request.path.id}":                      true,
		"https://x.example/{$request.body#/id}/y": true,
		"https://static.example/hook":             true,
		"$request.body#/url":                      true,
		"{$statusCallbackUrl}":                    false,
		"{$request.body#url}":                     false,
		"{$request.body#/a~2}":                    false,
		"{$request.header.}":                      false,
		"{$request.header.a b}":                   false,
		"{$request.cookie.a}":                     false,
		"{$request.body#/url":                     false,
		"$foo":                                    false,
	} {
		if why := checkCallbackExpr(expr); (why == "") != valid {
			t.Errorf("%q: got %q, want valid=%v", expr, why, valid)
		}
	}
}

// TestECMARegexp: the exported compiler keeps the ECMA meaning (the
// published Modica source pattern matches only a literal "[1-9]" prefix),
// falls back to legacy mode, and refuses what RE2 cannot express.
func TestECMARegexp(t *testing.T) {
	re, err := ECMARegexp(`^\[1-9]\d{1,19}$`)
	if err != nil {
		t.Fatal(err)
	}
	if re.MatchString("102046588645210") || !re.MatchString("[1-9]12") {
		t.Errorf("ECMA meaning lost: %s", re)
	}
	if _, err := ECMARegexp(`(?=a)a`); err == nil {
		t.Error("lookahead compiled")
	}
	if _, err := ECMARegexp(`(`); err == nil {
		t.Error("unbalanced group compiled")
	}
}
