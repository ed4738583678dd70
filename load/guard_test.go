package load

import (
	"strings"
	"testing"
)

func TestCheckTarget(t *testing.T) {
	cases := []struct {
		target string
		remote bool
		ok     bool
		want   string
	}{
		{"http://127.0.0.1:8080/rest/wab/v1", false, true, ""},
		{"http://127.1.2.3:8080", false, true, ""},
		{"http://localhost:8080", false, true, ""},
		{"http://[::1]:8080", false, true, ""},
		{"https://api.modicagroup.com/rest/wab/v1", false, false, "not a loopback address; load tests go to remote hosts only with --allow-remote"},
		{"http://10.0.0.5", false, false, "--allow-remote"},
		{"http://localhost.evil.example", false, false, "--allow-remote"},
		{"http://[::ffff:10.0.0.1]", false, false, "--allow-remote"},
		{"https://api.modicagroup.com/rest/wab/v1", true, true, ""},
		{"ftp://127.0.0.1", false, false, "want an http(s) URL"},
		{"http://u:secret@127.0.0.1", false, false, "--user/--password"},
		{"http://127.0.0.1:99999/rest/wab/v1", false, false, "want an http(s) URL"},              // issue 13 item 13
		{"http://127.0.0.1:8080/rest%0d%0aX-Injected:%20y", false, false, "want an http(s) URL"}, // issue 13 item 7
	}
	for _, c := range cases {
		_, err := CheckTarget(c.target, c.remote)
		if c.ok != (err == nil) {
			t.Errorf("%s (remote %v): err %v", c.target, c.remote, err)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q should contain %q", c.target, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}
