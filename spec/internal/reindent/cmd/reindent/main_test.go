package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunSkipsHeaderAndReindents(t *testing.T) {
	in := filepath.Join(t.TempDir(), "seed.txt")
	seed := "page header•250 kB\nopenapi: 3.0.0\ninfo:\ntitle: T\nversion: v2\npaths: {}"
	if err := os.WriteFile(in, []byte(seed), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-skip", "1", in}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := "openapi: 3.0.0\ninfo:\n  title: T\n  version: v2\npaths: {}\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestRunErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("openapi: 3.0.0\n- stray\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		args []string
		code int
		msg  string
	}{
		"no file":       {nil, 2, "usage"},
		"missing file":  {[]string{"/nonexistent/seed"}, 2, "no such file"},
		"negative skip": {[]string{"-skip", "-1", bad}, 2, "usage"},
		"unplaceable":   {[]string{bad}, 1, `line 2: cannot place "- stray"`},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tc.args, &out, &errb); code != tc.code || !strings.Contains(errb.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), tc.code, tc.msg)
			}
		})
	}
}
