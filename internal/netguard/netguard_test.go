package netguard

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:80": true, "[::1]:80": true, "localhost:80": true, "LOCALHOST.:0": true, "127.9.9.9:1": true,
		":48555": false, "0.0.0.0:80": false, "[::]:80": false, "10.0.0.1:80": false, "example.com:80": false,
		"[::ffff:127.0.0.1]:80": true, "nohostport": false,
	} {
		err := CheckLoopback(addr)
		if (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestListenRefusesEveryInterface(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0"} {
		ln, err := Listen(addr, false)
		if !errors.Is(err, ErrNotLoopback) {
			t.Errorf("Listen(%q) = %v, want ErrNotLoopback", addr, err)
		}
		if ln != nil {
			ln.Close()
		}
	}
	ln, err := Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	ln, err = Listen(":0", true)
	if err != nil {
		t.Fatalf("Listen(:0, allowRemote) = %v", err)
	}
	ln.Close()
}

func TestBlocked(t *testing.T) {
	for s, want := range map[string]bool{
		"169.254.169.254": true, "169.254.170.2": true, "169.254.0.1": true, "fe80::1": true, "fe80::1%eth0": true,
		"100.100.100.200": true, "fd00:ec2::254": true, "168.63.129.16": true, "::ffff:169.254.169.254": true,
		"64:ff9b::a9fe:a9fe": true,
		"127.0.0.1":          false, "10.0.0.1": false, "100.100.100.201": false, "::1": false, "8.8.8.8": false, "fd00:ec2::253": false,
	} {
		if got := Blocked(netip.MustParseAddr(s)); got != want {
			t.Errorf("Blocked(%s) = %v, want %v", s, got, want)
		}
	}
	for h, want := range map[string]bool{"metadata.google.internal": true, "METADATA.google.internal.": true, "metadata": true,
		"[fe80::1]": true, "169.254.169.254": true, "example.com": false, "127.0.0.1": false} {
		if got := BlockedHost(h); got != want {
			t.Errorf("BlockedHost(%s) = %v, want %v", h, got, want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	ok := []string{"http://127.0.0.1:9090/status", "https://u:p%40ss@hooks.example/dlr", "http://h:65535/", "http://h:1/", "http://[::1]:80/x?a=b"}
	for _, u := range ok {
		if err := CheckURL(u, false); err != nil {
			t.Errorf("CheckURL(%q) = %v", u, err)
		}
	}
	bad := map[string]string{
		"http://a/\r\nX: y":                    "control character",
		"http://a/status%0d%0aX-Injected:%20y": "control character",
		"http://a/%00":                         "control character",
		"http://a/\u0085":                      "control character",
		"http://u:p%0a@h/":                     "control character",
		"http://h:99999/":                      "port 99999",
		"http://h:0/":                          "port 0",
		"http://169.254.169.254/latest":        "metadata",
		"http://[fe80::1%25eth0]:80/":          "metadata",
		"http://metadata.google.internal/":     "metadata",
		"http://100.100.100.200/":              "metadata",
		"ftp://h/":                             "scheme",
		"http:///path":                         "no host",
		"nope":                                 "scheme",
	}
	for u, want := range bad {
		err := CheckURL(u, false)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckURL(%q) = %v, want %q", u, err, want)
		}
	}
	if err := CheckURL("https://s3cret:pw@169.254.169.254/x", true); err != nil {
		t.Errorf("allowed metadata host refused: %v", err)
	}
	if err := CheckURL("http://u:S3cretPw@h:99999/", false); err == nil || strings.Contains(err.Error(), "S3cretPw") {
		t.Errorf("error %v quotes the password", err)
	}
}

// TestDialControlCatchesResolvedAddress: the hook sees the address after
// resolution, whatever name or notation the URL used.
func TestDialControlCatchesResolvedAddress(t *testing.T) {
	d := &net.Dialer{Control: DialControl, Timeout: time.Second}
	_, err := d.DialContext(context.Background(), "tcp", "169.254.169.254:80")
	if !errors.Is(err, ErrBlockedHost) {
		t.Errorf("dial 169.254.169.254 = %v, want ErrBlockedHost", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := d.DialContext(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("dial loopback refused: %v", err)
	}
	c.Close()
}
