package netguard

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// ErrControlChar is wrapped by CheckURL's error for a URL holding a control
// character (CR, LF, NUL, DEL, C1 …), raw or percent-encoded.
var ErrControlChar = errors.New("control character in URL")

// CheckURL checks a callback URL: absolute http(s) with a host, no control
// character raw or percent-encoded (%0d%0a would reach the receiver's
// request line decoded), a port (if any) within 1–65535 and, unless
// allowBlocked, a host that is not link-local or a metadata endpoint. The
// errors never quote the URL (it may carry a password).
func CheckURL(raw string, allowBlocked bool) error {
	if err := checkControl(raw); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the raw URL, which may carry a password.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q: want http or https", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return errors.New("no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %s: want 1–65535", p)
		}
	}
	if !allowBlocked && BlockedHost(u.Hostname()) {
		return fmt.Errorf("host %s: %w", u.Hostname(), ErrBlockedHost)
	}
	return nil
}

// checkControl refuses control characters in raw and in its
// percent-decoding.
func checkControl(raw string) error {
	if strings.IndexFunc(raw, unicode.IsControl) >= 0 {
		return ErrControlChar
	}
	if dec, err := url.PathUnescape(raw); err == nil && strings.IndexFunc(dec, unicode.IsControl) >= 0 {
		return fmt.Errorf("%w (percent-encoded)", ErrControlChar)
	}
	return nil
}
