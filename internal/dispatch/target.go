package dispatch

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/wabcheck/wabcheck/internal/redact"
)

// ErrBadURL is wrapped by Enqueue's error for a callback URL that cannot be
// delivered to (unparsable, not http/https, no host).
var ErrBadURL = errors.New("unusable callback URL")

// target is a parsed callback URL, shared by every delivery to it.
type target struct {
	url    string      // without userinfo: what the receiver sees
	log    string      // redact.URL of the original, for logs
	header http.Header // request headers; shared read-only by attempts
}

// targetCache parses each distinct callback URL once; the simulator sends
// almost every callback to one or two URLs.
type targetCache struct {
	userAgent string
	mu        sync.Mutex
	m         map[string]*target
}

const targetCacheMax = 1024

func (c *targetCache) get(raw string) (*target, error) {
	c.mu.Lock()
	t, ok := c.m[raw]
	c.mu.Unlock()
	if ok {
		return t, nil
	}
	t, err := parseTarget(raw, c.userAgent)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= targetCacheMax {
		c.m = make(map[string]*target)
	}
	c.m[raw] = t
	c.mu.Unlock()
	return t, nil
}

// parseTarget strips and decodes userinfo credentials. url.Parse already
// percent-decodes the userinfo ("p%40ss" becomes "p@ss").
func parseTarget(raw, userAgent string) (*target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the input and its reason may quote a piece of
		// the userinfo, so give the reason only when there is none.
		reason := "cannot parse"
		var ue *url.Error
		if errors.As(err, &ue) && !strings.Contains(raw, "@") {
			reason = ue.Err.Error()
		}
		return nil, fmt.Errorf("dispatch: callback URL %q: %w: %s", redact.URL(raw), ErrBadURL, reason)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("dispatch: callback URL %q: %w: want an http or https URL with a host", redact.URL(raw), ErrBadURL)
	}
	t := &target{log: redact.URL(raw), header: http.Header{
		"Content-Type": {"application/json"},
		"User-Agent":   {userAgent},
	}}
	if u.User != nil {
		pass, _ := u.User.Password()
		t.header["Authorization"] = []string{"Basic " + base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pass))}
		u.User = nil
	}
	t.url = u.String()
	return t, nil
}

// requestHeader merges a delivery's extra headers under the target's
// (Content-Type, User-Agent and URL credentials win). With no extra
// headers the target's map is shared.
func (t *target) requestHeader(extra http.Header) http.Header {
	if len(extra) == 0 {
		return t.header
	}
	h := make(http.Header, len(extra)+len(t.header))
	for k, vs := range extra {
		h[http.CanonicalHeaderKey(k)] = vs
	}
	for k, vs := range t.header {
		h[k] = vs
	}
	return h
}
