package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// ErrNotLoopback is wrapped by the errors of Listen and CheckLoopback for
// an address that is not loopback.
var ErrNotLoopback = errors.New("not a loopback address")

// IsLoopbackHost reports whether host is "localhost" or a loopback IP
// literal. Other names are not resolved: a name could point anywhere.
func IsLoopbackHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(h, "[]"))
	return err == nil && ip.Unmap().IsLoopback()
}

// CheckLoopback checks a host:port listen address without binding it: the
// host must be localhost or a loopback IP. An empty host (":8080"), 0.0.0.0
// and :: listen on every interface and are refused, as is any other name.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port: %w", err)
	}
	if host == "" {
		return fmt.Errorf("%w: no host listens on every interface (write 127.0.0.1%s)", ErrNotLoopback, addr)
	}
	if !IsLoopbackHost(host) {
		return fmt.Errorf("%w: %s", ErrNotLoopback, host)
	}
	return nil
}

// IsLoopbackAddr reports whether a bound listener address is a loopback IP.
func IsLoopbackAddr(a net.Addr) bool {
	ap, err := netip.ParseAddrPort(a.String())
	return err == nil && ap.Addr().Unmap().IsLoopback()
}

// Listen opens a TCP listener on addr. Unless allowRemote, addr must pass
// CheckLoopback and the address actually bound must be loopback too (so a
// "localhost" that resolves elsewhere is caught).
func Listen(addr string, allowRemote bool) (net.Listener, error) {
	if !allowRemote {
		if err := CheckLoopback(addr); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if !allowRemote && !IsLoopbackAddr(ln.Addr()) {
		_ = ln.Close()
		return nil, fmt.Errorf("%w: it bound %s", ErrNotLoopback, ln.Addr())
	}
	return ln, nil
}
