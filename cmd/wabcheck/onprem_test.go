package main

import (
	"strings"
	"testing"
)

// TestConformOnpremCloudFormat: issue 10's --webhook-format cloud and
// --app-secret are --sim-option webhook-format=cloud (the simulator signs
// with the run's secret, the receiver verifies with it) and, against a
// real target, --webhook-secret. The webhooks feature passes in the Cloud
// format and a bad signature fails the run (exit 1) naming it.
func TestConformOnpremCloudFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the on-premises webhooks feature twice")
	}
	base := []string{"conform", "--vendor", "onprem", "--sim-option", "webhook-format=cloud", "--tags", "@webhooks && ~@serial", "--report-dir"}
	code, out, errOut := runCLI(t, append(base, t.TempDir())...)
	if code != 0 {
		t.Fatalf("cloud format: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, append(base, t.TempDir(), "--fault", "webhook-bad-signature")...)
	if code != exitFailed || !strings.Contains(out, "signature-invalid") || !strings.Contains(out, "X-Hub-Signature-256") {
		t.Errorf("bad signature: exit %d, want 1 naming signature-invalid:\n%s", code, out)
	}
	code, _, errOut = runCLI(t, "conform", "--vendor", "onprem", "--sim-option", "webhook-format=json", "--report-dir", t.TempDir())
	if code != exitUsage || !strings.Contains(errOut, "webhook-format") {
		t.Errorf("bad format: exit %d, stderr %q; want 2 naming webhook-format", code, errOut)
	}
}

// TestProbeOnpremSimulatorZeroFindings: wabcheck probe --vendor onprem
// against the in-process simulator leaves out the operations the wire does
// not serve and those that reconfigure the account, saying so, probes the
// other eight (sends with their delivery receipts) and finds nothing.
func TestProbeOnpremSimulatorZeroFindings(t *testing.T) {
	if testing.Short() {
		t.Skip("probes the on-premises simulator")
	}
	code, out, errOut := runCLI(t, "probe", "--vendor", "onprem", "--report-dir", t.TempDir())
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	for _, want := range []string{"probe: 0 findings in", "for 8 operations", "45 operations left out: the simulator does not implement them",
		"2 operations left out: they reconfigure the account", "POST /messages             delivery_receipts",
		"PUT /messages/{MessageID}", "DELETE /media/{MediaId}", "POST /contacts"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}
