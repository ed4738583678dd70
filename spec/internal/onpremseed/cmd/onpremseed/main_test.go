package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tinySeed = "T\nd.example/x ↗chrome\nhttp://h/v1\n/a\nGET /a\nS\n{\n\"type\": \"string\"\n}\n"

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"-seed"}, {"-nope"}, {"-seed", "x", "extra"}, {"-seed", filepath.Join(t.TempDir(), "missing")}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 || !strings.HasPrefix(errb.String(), "onpremseed: ") {
			t.Errorf("run(%q) = %d, stderr %q; want 2 and one onpremseed: line", args, code, errb.String())
		}
	}
}

func TestRunBadSeedNamesLine(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.txt")
	if err := os.WriteFile(seed, []byte(strings.Replace(tinySeed, "GET /a", "GET /b", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-seed", seed}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "seed line 5:") {
		t.Errorf("code %d stderr %q; want 2 naming seed line 5", code, errb.String())
	}
}

func TestRunWritesOut(t *testing.T) {
	dir := t.TempDir()
	seed, dst := filepath.Join(dir, "seed.txt"), filepath.Join(dir, "out.yaml")
	if err := os.WriteFile(seed, []byte(tinySeed), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-seed", seed, "-out", dst}, &out, &errb); code != 0 {
		t.Fatalf("code %d stderr %q", code, errb.String())
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"openapi: 3.0.3", "  - url: http://h/v1", "  /a:\n    get: {}", "    S:\n      type: string"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if code := run([]string{"-seed", seed, "-out", filepath.Join(dir, "no", "dir", "x.yaml")}, &out, &errb); code != 1 {
		t.Errorf("unwritable -out: code %d, want 1", code)
	}
}
