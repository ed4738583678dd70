package redact

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// shape builds a URL-ish value from a user and a password as typed.
type shape struct {
	name string
	make func(user, pw string) string
	// masked is what String leaves of the value; nil means make(user, Mask).
	masked func(user string) string
}

var shapes = []shape{
	{name: "https", make: func(u, p string) string { return "https://" + u + ":" + p + "@api.vendor.example/rest/wab/v1" }},
	{name: "bad scheme", make: func(u, p string) string { return "htps://" + u + ":" + p + "@api.vendor.example/rest" }},
	{name: "scheme without colon", make: func(u, p string) string { return "http//" + u + ":" + p + "@host/x" }},
	{name: "no scheme name", make: func(u, p string) string { return "://" + u + ":" + p + "@host" }},
	{name: "scheme-relative", make: func(u, p string) string { return "//" + u + ":" + p + "@host/x" }},
	{name: "no scheme, port and path", make: func(u, p string) string { return u + ":" + p + "@host:8080/path" }},
	{name: "no scheme", make: func(u, p string) string { return u + ":" + p + "@host" }},
	{name: "bad port", make: func(u, p string) string { return "http://" + u + ":" + p + "@host:99999/x" }},
	{name: "IPv6 host", make: func(u, p string) string { return "http://" + u + ":" + p + "@[::1]:80/x" }},
	{name: "encoded colon", make: func(u, p string) string { return u + "%3A" + p + "@host" }},
	{name: "upper case", make: func(u, p string) string { return "HTTPS://" + u + ":" + p + "@HOST" }},
	{name: "no user", make: func(_, p string) string { return "http://:" + p + "@host" }},
	{name: "@ in the query", make: func(u, p string) string { return "https://" + u + ":" + p + "@host/x?to=a@b" },
		masked: func(u string) string { return "https://" + u + ":" + Mask + "@b" }},
}

// contexts put a value into a message as wabcheck's errors and logs do.
var contexts = []struct {
	name   string
	quoted bool // the value is %q-quoted (may hold spaces and quotes)
	put    func(v string) string
}{
	{"alone", false, func(v string) string { return v }},
	{"flag error", true, func(v string) string { return fmt.Sprintf("wabcheck: --target %q: want an absolute http(s) URL", v) }},
	{"url.Error", true, func(v string) string { return fmt.Sprintf("--target: parse %q: invalid port", v) }},
	{"flag=value", true, func(v string) string { return fmt.Sprintf("--callback-url=%q", v) }},
	{"JSON", true, func(v string) string { return fmt.Sprintf(`{"url":%q,"n":1}`, v) }},
	{"sentence", false, func(v string) string { return "posting to " + v + " failed: EOF" }},
	{"log attribute", false, func(v string) string { return "level=INFO status_callback_url=" + v }},
}

// randomPassword returns a password of 6..20 characters, from the characters
// a user may type (quoted ones may also hold spaces and quotes), that
// starts and ends with a marker so it is not found by chance.
func randomPassword(r *rand.Rand, quoted bool) string {
	chars := "abcXYZ0129!$&'()*+,;=-._~%@:/?#[]"
	if quoted {
		chars += ` "`
	}
	var b strings.Builder
	b.WriteString("Pw")
	for range 2 + r.IntN(16) {
		b.WriteByte(chars[r.IntN(len(chars))])
	}
	b.WriteString("9q")
	return b.String()
}

// forms are the ways a password can appear in a message.
func forms(pw string) []string {
	q := strconv.Quote(pw)
	return []string{pw, q[1 : len(q)-1], url.QueryEscape(pw), url.PathEscape(pw), (&url.URL{User: url.UserPassword("u", pw)}).String()[2:]}
}

// TestIssue13Item6StringMasksEveryShape: redaction used to recognise only
// "scheme://user:pw@", so a malformed --target was echoed whole. Every
// shape of URL-ish value, in every context and with passwords of awkward
// characters, now comes out with the password masked and the rest as it
// was.
func TestIssue13Item6StringMasksEveryShape(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 6))
	for range 300 {
		for _, c := range contexts {
			for _, sh := range shapes {
				pw := randomPassword(r, c.quoted)
				in := c.put(sh.make("acme", pw))
				got := String(in)
				for _, f := range forms(pw) {
					if strings.Contains(got, f) {
						t.Fatalf("%s, %s: String(%q) = %q still holds the password", c.name, sh.name, in, got)
					}
				}
				want := sh.make("acme", Mask)
				if sh.masked != nil {
					want = sh.masked("acme")
				}
				if want = c.put(want); got != want {
					t.Fatalf("%s, %s: String(%q) = %q, want %q", c.name, sh.name, in, got, want)
				}
			}
		}
	}
}

// TestIssue13Item6URLMasksEveryShape: URL takes a whole flag value, so a
// password may also hold spaces and quotes there.
func TestIssue13Item6URLMasksEveryShape(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 7))
	for range 500 {
		for _, sh := range shapes {
			pw := randomPassword(r, true)
			in := sh.make("acme", pw)
			got := URL(in)
			for _, f := range forms(pw) {
				if strings.Contains(got, f) {
					t.Fatalf("%s: URL(%q) = %q still holds the password", sh.name, in, got)
				}
			}
			if !strings.Contains(got, Mask) {
				t.Fatalf("%s: URL(%q) = %q, want the password masked", sh.name, in, got)
			}
		}
	}
}

// TestIssue13Item6SeveralInOneString: every URL of a message is masked.
func TestIssue13Item6SeveralInOneString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a:pw1@h and https://b:pw2@h/x, //c:pw3@h",
			"a:REDACTED@h and https://b:REDACTED@h/x, //c:REDACTED@h"},
		{`"https://a:pw 1@h","htps://b:pw"2@h"`, `"https://a:REDACTED@h","htps://b:pw"2@h"`},
		{`--target "https://a:p w\"1@h" --callback-url "c:p w2@h"`, `--target "https://a:REDACTED@h" --callback-url "c:REDACTED@h"`},
		{"http://a:pw1@h,http://b:pw2@h", "http://a:REDACTED@h"}, // one word: masked from the first ':'
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) =\n  %q, want\n  %q", tt.in, got, tt.want)
		}
	}
}

// TestStringLeavesOtherTextAlone: words without a password stay as they
// are, and masking is idempotent.
func TestStringLeavesOtherTextAlone(t *testing.T) {
	for _, s := range []string{
		"dial tcp 127.0.0.1:8080: connect: connection refused",
		`Post "http://127.0.0.1:9000/dlr": EOF`,
		"write to support@vendor.example at 12:00:00",
		"http://onlyuser@host/x and //token@host",
		"header-missing GetHealthz GET /healthz 200 header X-RateLimit-Limit: expected header (spec modica-wab-v1.2.0.yaml:293:13)",
		`say "hello: world" to "nobody@example"`,
		"https://u:REDACTED@h/x",
		"caf\u00e9 \u0130stanbul %3a",
		"",
	} {
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q, want it unchanged", s, got)
		}
	}
}

// FuzzStringHidesPassword: whatever the password (without white space
// or quotes, which unquoted text cannot delimit), no shape shows it. A
// password starting "//" is left out too: "acme://00@host" is the URL
// with scheme acme and user 00 as much as user acme's password "//00".
func FuzzStringHidesPassword(f *testing.F) {
	for _, seed := range []string{"p@ss", "TargetPw123", "a/b:c@d", "%40%3A", "x//y", "pw\u00e9\u0130"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		if len(pw) < 4 || strings.ContainsAny(pw, " \t\n\r\v\f\"") || strings.HasPrefix(pw, "//") || strings.Contains(Mask, pw) {
			t.Skip()
		}
		for _, sh := range shapes {
			in := "error: " + sh.make("acme", pw) + " ok"
			frame := sh.make("acme", "")
			if strings.Contains(frame, pw) || strings.Contains("error:  ok", pw) {
				continue // the password is part of the frame
			}
			if got := String(in); strings.Contains(got, pw) {
				t.Errorf("%s: String(%q) = %q holds the password", sh.name, in, got)
			}
		}
	})
}

// TestPasswordsAndKnown: the password of a value is found whole, and a
// message repeating it unquoted, spaces and all, has it masked.
func TestPasswordsAndKnown(t *testing.T) {
	tests := []struct {
		raw  string
		want []string
	}{
		{"http://acme:Target Pw123@h/x", []string{"Target Pw123"}},
		{"acme:p%40ss@h", []string{"p%40ss", "p@ss"}},
		{"acme%3Apw/1@h", []string{"pw/1"}},
		{"https://onlyuser@h", nil},
		{"https://u:@h", nil},
		{"no url here", nil},
	}
	for _, tt := range tests {
		if got := Passwords(tt.raw); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Passwords(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
	msg := `read http:/acme:Target Pw123@h/x: no such file; "Target Pw123\"x"; a:b`
	got := Known(msg, []string{"Target Pw123", "a", "Target Pw123\"x"})
	if want := `read http:/acme:REDACTED@h/x: no such file; "REDACTED"; a:b`; got != want {
		t.Errorf("Known = %q, want %q", got, want)
	}
}
