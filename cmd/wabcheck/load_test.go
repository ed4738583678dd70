package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
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
		{[]string{"load", "--profile", "send", "--from", "16315552222"}, "--from"},
		{[]string{"load", "--profile", "send", "--rate", "-1"}, "--rate"},
		{[]string{"load", "--profile", "send", "--target", "http://127.0.0.1:1", "--callback-url", "ftp://x"}, "--callback-url"},
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
	// The built-in profiles also hold latency and schedule-lag thresholds;
	// a test must not depend on the machine's speed, so this profile keeps
	// only the thresholds a correct run meets on any machine.
	profile := writeFile(t, "send-test.yaml", `name: send-test
stages:
  - {duration: 1s, rate: 10}
mix: {send: 1}
grace: 15s
thresholds:
  - success >= 0.99
  - violations == 0
  - dlr_complete >= 0.999
`)
	code := run(context.Background(), []string{"load", "--profile", profile, "--report-dir", dir}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "THRESHOLD") || !strings.Contains(out.String(), filepath.Join(dir, "load.html")) {
		t.Errorf("stdout:\n%s", out.String())
	}
}

// TestLoadFlagErrorHasOnePrefix: a bad flag value printed
// `wabcheck: wabcheck load: invalid argument ...`.
func TestLoadFlagErrorHasOnePrefix(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"load", "--profile", "send", "--duration", "abc"}, &out, &errb)
	msg := errb.String()
	if code != exitUsage || strings.Count(msg, "wabcheck") != 2 || !strings.HasPrefix(msg, `wabcheck: load: invalid argument "abc" for "--duration"`) {
		t.Errorf("exit %d, stderr %q: want one prefix and a pointer to wabcheck load --help", code, msg)
	}
}

// TestLoadRateZeroIsAnError: --rate 0 (and --duration 0) silently kept the
// profile's values.
func TestLoadRateZeroIsAnError(t *testing.T) {
	for flag, want := range map[string]string{"--rate": "--rate 0: must be > 0", "--duration": "--duration 0s: must be > 0"} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"load", "--profile", "send", flag, "0"}, &out, &errb)
		if code != exitUsage || !strings.Contains(errb.String(), want) {
			t.Errorf("%s 0: exit %d, stderr %q; want exit 2 with %q", flag, code, errb.String(), want)
		}
	}
}

// authServer answers 401 unless the request carries u:pw, and counts the
// requests that got through.
func authServer(t *testing.T, user, pw string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var ok atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, has := r.BasicAuth(); !has || u != user || p != pw {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		ok.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv, &ok
}

const tinyLoadProfile = "name: tiny\nstages:\n  - {duration: 300ms, rate: 20}\nthresholds:\n  - success >= 0.99\n"

// TestLoadCredentialsFromEnvironment: load ignored WABCHECK_USER and
// WABCHECK_PASSWORD (conform reads them), so the k8s Job had to put the
// password on the command line.
func TestLoadCredentialsFromEnvironment(t *testing.T) {
	srv, ok := authServer(t, "acme", "s3cret")
	t.Setenv("WABCHECK_USER", "acme")
	t.Setenv("WABCHECK_PASSWORD", "s3cret")
	prof := writeFile(t, "tiny.yaml", tinyLoadProfile)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"load", "--profile", prof, "--target", srv.URL, "--validate-sample", "0",
		"--report-dir", t.TempDir()}, &out, &errb)
	if code != exitOK || ok.Load() < 2 {
		t.Fatalf("exit %d, %d authorised requests\nstdout %s\nstderr %s", code, ok.Load(), out.String(), errb.String())
	}
	if strings.Contains(out.String()+errb.String(), "s3cret") {
		t.Error("the password was printed")
	}
	var help bytes.Buffer
	run(context.Background(), []string{"load", "--help"}, &help, &help)
	if !strings.Contains(help.String(), "WABCHECK_USER") || !strings.Contains(help.String(), "WABCHECK_PASSWORD") {
		t.Error("load --help does not mention WABCHECK_USER/WABCHECK_PASSWORD")
	}
}

// TestLoadWrongCredentialsFailPreflight: a wrong --user/--password was not
// caught before the run.
func TestLoadWrongCredentialsFailPreflight(t *testing.T) {
	srv, ok := authServer(t, "acme", "s3cret")
	prof := writeFile(t, "tiny.yaml", tinyLoadProfile)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"load", "--profile", prof, "--target", srv.URL, "--user", "acme", "--password", "nope",
		"--report-dir", t.TempDir()}, &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), "--user/--password: the target answered 401") || ok.Load() != 0 {
		t.Errorf("exit %d, stderr %q, %d requests got through", code, errb.String(), ok.Load())
	}
}
