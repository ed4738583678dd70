package main

// Regression tests for issue 13 (hardening) at the command line, named
// after its items.

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestLoadHugeDurationIsAUsageError (issue 13 item 4): `load --duration
// 100000h` died with "fatal error: runtime: out of memory"; it is one line
// and exit 2, as is the same in a profile.
func TestLoadHugeDurationIsAUsageError(t *testing.T) {
	profile := writeFile(t, "long.yaml", "name: long\nstages:\n  - {duration: 100000h, rate: 1}\n")
	for _, args := range [][]string{
		{"load", "--profile", "send", "--duration", "100000h"},
		{"load", "--profile", profile},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "longer than the maximum of 168h0m0s") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line naming the maximum", args, code, errOut)
		}
	}
}

// runBounded runs wabcheck with a context that ends after d, so a command
// that wrongly starts serving fails on its exit code instead of hanging.
func runBounded(t *testing.T, d time.Duration, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var stdout, stderr simBuffer
	code := run(ctx, args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestListenBeyondLoopbackNeedsInsisting (issue 13 items 7 and 8): `sim
// --listen 0.0.0.0:…` served its admin API on every interface behind the
// published default credentials, with no warning; `sim receive` listened
// anywhere it was told. Both refuse with exit 2 before serving unless
// --allow-remote insists (sim serves beyond loopback freely with a
// password of its own).
func TestListenBeyondLoopbackNeedsInsisting(t *testing.T) {
	for _, args := range [][]string{
		{"sim", "--listen", "0.0.0.0:0"},
		{"sim", "--listen", ":0"},
		{"sim", "--listen", "[::]:0", "--user", "acme"},
		{"sim", "receive", "--listen", "0.0.0.0:0"},
		{"sim", "receive", "--listen", ":0"},
	} {
		code, out, errOut := runBounded(t, 20*time.Second, args...)
		if code != exitUsage || !strings.Contains(errOut, "--listen") || !strings.Contains(errOut, "--allow-remote") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line naming --listen and --allow-remote", args, code, out, errOut)
		}
	}
}

// TestSimRefusesMetadataCallbackFlags (issue 13 item 7): the callback URL
// flags refuse link-local and metadata hosts, CRLF and bad ports unless
// --allow-metadata-callbacks (which never allows CRLF or bad ports).
func TestSimRefusesMetadataCallbackFlags(t *testing.T) {
	for _, args := range [][]string{
		{"sim", "--status-callback-url", "http://169.254.169.254/latest/meta-data/"},
		{"sim", "--reply-callback-url", "http://metadata.google.internal/"},
		{"sim", "--status-callback-url", "http://127.0.0.1:9090/s%0d%0aX:%20y", "--allow-metadata-callbacks"},
		{"sim", "--status-callback-url", "http://127.0.0.1:99999/status", "--allow-metadata-callbacks"},
	} {
		code, _, errOut := runBounded(t, 20*time.Second, append(args, "--listen", "127.0.0.1:0")...)
		if code != exitUsage || !strings.Contains(errOut, args[1]) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %s", args, code, errOut, args[1])
		}
	}
}
