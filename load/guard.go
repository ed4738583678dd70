package load

import (
	"fmt"
	"net/url"

	"github.com/wabcheck/wabcheck/internal/netguard"
	"github.com/wabcheck/wabcheck/internal/redact"
)

// CheckTarget parses --target and refuses anything but loopback
// (127.0.0.0/8, ::1, localhost) unless allowRemote is set: nobody load-tests
// production by accident.
func CheckTarget(target string, allowRemote bool) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil || netguard.CheckURL(target, true) != nil {
		return nil, fmt.Errorf("--target %s: want an http(s) URL like http://127.0.0.1:8080/rest/wab/v1", redact.URL(target))
	}
	if u.User != nil {
		return nil, fmt.Errorf("--target %s: put credentials in --user/--password, not the URL", redact.URL(target))
	}
	if allowRemote || IsLoopback(u.Hostname()) {
		return u, nil
	}
	return nil, fmt.Errorf("--target %s: %s is not a loopback address; load tests go to remote hosts only with --allow-remote", target, u.Hostname())
}

// IsLoopback reports whether host is localhost or a loopback IP. Names other
// than localhost are not resolved: a name could point anywhere.
func IsLoopback(host string) bool { return netguard.IsLoopbackHost(host) }
