package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestVendorsListsEveryDialect(t *testing.T) {
	code, out, errOut := runCLI(t, "vendors", "--format", "json")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var views []vendorView
	if err := json.Unmarshal([]byte(out), &views); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range views {
		names = append(names, v.Name)
		if !v.Simulator || v.SimFaults == 0 || len(v.Credentials) == 0 || len(v.CallbackKinds) == 0 {
			t.Errorf("%s: %+v", v.Name, v)
		}
	}
	if !slices.Contains(names, "modica") {
		t.Errorf("vendors %v lack modica", names)
	}
	code, text, _ := runCLI(t, "vendors")
	if code != exitOK || !strings.Contains(text, "--password / $WABCHECK_PASSWORD") || !strings.Contains(text, "broadcast") {
		t.Errorf("text listing:\n%s", text)
	}
	if code, _, errOut := runCLI(t, "vendors", "--format", "xml"); code != exitUsage || !strings.Contains(errOut, "--format") {
		t.Errorf("bad format: exit %d %q", code, errOut)
	}
}

func TestUnknownVendorIsAUsageError(t *testing.T) {
	for _, args := range [][]string{{"spec", "lint", "--vendor", "nope"}, {"sim", "--vendor", "nope"}, {"conform", "--vendor", "nope"}} {
		code, _, errOut := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "--vendor") || !strings.Contains(errOut, "modica") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}
