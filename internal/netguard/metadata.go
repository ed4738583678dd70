package netguard

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"syscall"
)

// ErrBlockedHost is wrapped by the errors for a link-local or cloud
// metadata host or address.
var ErrBlockedHost = errors.New("link-local or cloud metadata address")

var (
	linkLocal4 = netip.MustParsePrefix("169.254.0.0/16") // AWS, GCP, Azure, OCI, DigitalOcean metadata; ECS task credentials
	linkLocal6 = netip.MustParsePrefix("fe80::/10")
	nat64      = netip.MustParsePrefix("64:ff9b::/96") // an IPv4 address embedded for NAT64
	// metadataAddrs are metadata endpoints outside the link-local ranges.
	metadataAddrs = []netip.Addr{
		netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
		netip.MustParseAddr("fd00:ec2::254"),   // AWS IMDS over IPv6
		netip.MustParseAddr("168.63.129.16"),   // Azure WireServer
	}
	// blockedNames are metadata host names (lower case, no trailing dot).
	blockedNames = []string{"metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"}
)

// Blocked reports whether ip is link-local or a cloud metadata address,
// also as an IPv4-mapped or NAT64 IPv6 address.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	if nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte(b[12:16]))
	}
	if linkLocal4.Contains(ip) || linkLocal6.Contains(ip) {
		return true
	}
	for _, m := range metadataAddrs {
		if ip == m {
			return true
		}
	}
	return false
}

// BlockedHost reports whether a URL host (name or IP literal, without
// port) is a metadata name or a Blocked address.
func BlockedHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	for _, n := range blockedNames {
		if h == n {
			return true
		}
	}
	ip, err := netip.ParseAddr(strings.Trim(h, "[]"))
	return err == nil && Blocked(ip)
}

// DialControl is a net.Dialer Control hook: it refuses to connect to a
// Blocked address. It runs after name resolution, so it also catches a
// name (or a numeric form such as 2852039166) that resolves to one.
func DialControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("netguard: dial %s %s: %w", network, address, err)
	}
	if Blocked(ap.Addr()) {
		return fmt.Errorf("netguard: dial %s: %w (allow it explicitly to call it)", address, ErrBlockedHost)
	}
	return nil
}
