package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadCommandUsageErrors(t *testing.T) {
	bad := writeFile(t, "bad.yaml", "name: x\nstages:\n  - duration: 1s\n    rat: 5\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"load", "--profile", "nope"}, "no built-in profile or file of that name"},
		{[]string{"load", "--profile", bad}, `line 4: unknown key "rat" in stages[0]`},
		{[]string{"load", "--profile", "send", "--target", "https://api.modicagroup.com/rest/wab/v1"}, "--allow-remote"},
		{[]string{"load", "--profile", "send", "--shard", "3/3"}, "--shard"},
		{[]string{"load", "--profile", "send", "--validate-sample", "2"}, "--validate-sample"},
		{[]string{"load", "--profile", "send", "--rate", "-1"}, "--rate"},
		{[]string{"load"}, "profile"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), c.args, &out, &errb)
		if code != exitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", c.args, code, errb.String(), c.want)
		}
	}
}

func TestLoadProfilesCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"load", "profiles"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, name := range []string{"send", "broadcast", "ratelimit", "soak"} {
		if !strings.Contains(out.String(), name+" ") {
			t.Errorf("profiles output lacks %s:\n%s", name, out.String())
		}
	}
}

func TestLoadCommandRunsAndExitsZero(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"load", "--profile", "send", "--duration", "1s", "--rate", "10", "--report-dir", dir}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "THRESHOLD") || !strings.Contains(out.String(), filepath.Join(dir, "load.html")) {
		t.Errorf("stdout:\n%s", out.String())
	}
}
