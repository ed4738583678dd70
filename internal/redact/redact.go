// Package redact removes credentials from headers, URLs and strings before
// they reach a log, a report or a result file.
package redact

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces a secret.
const Mask = "REDACTED"

var secretHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
	"X-Api-Key":           true,
}

// Header returns a copy of h with credential-bearing values masked.
func Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if secretHeaders[http.CanonicalHeaderKey(k)] {
			masked := make([]string, len(vs))
			for i, v := range vs {
				masked[i] = maskAuth(v)
			}
			out[k] = masked
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// maskAuth keeps the scheme ("Basic") so a reader still sees which kind of
// credential was sent.
func maskAuth(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok && scheme != "" {
		return scheme + " " + Mask
	}
	return Mask
}

// URL masks the password of a URL's userinfo ("https://u:REDACTED@host").
// Strings that do not parse are passed through String.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return String(raw)
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Mask)
	}
	return strings.Replace(u.String(), url.QueryEscape(Mask), Mask, 1)
}

var (
	userinfoRe = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]*@`)
	basicRe    = regexp.MustCompile(`(?i)\b(basic|bearer)\s+[A-Za-z0-9+/=._~-]{6,}`)
)

// String masks URL passwords and Basic/Bearer credentials anywhere in s.
func String(s string) string {
	s = userinfoRe.ReplaceAllString(s, "${1}"+Mask+"@")
	return basicRe.ReplaceAllString(s, "${1} "+Mask)
}
