package rundir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCreateLinksLatest(t *testing.T) {
	root := t.TempDir()
	t0 := time.Date(2026, 11, 21, 5, 0, 0, 0, time.UTC)
	first, err := Create(root, "", "conform", t0)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(first) != "conform-20261121T050000.000Z" {
		t.Errorf("first run folder = %s", first)
	}
	second, err := Create(root, "", "load", t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	target, err := os.Readlink(filepath.Join(root, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	if target != filepath.Base(second) {
		t.Errorf("latest -> %s, want %s", target, filepath.Base(second))
	}
}

func TestCreateExplicitDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	got, err := Create("", dir, "lint", time.Now())
	if err != nil || got != dir {
		t.Fatalf("Create = %q, %v", got, err)
	}
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o644)
	_, err = Create("", filepath.Join(blocker, "x"), "lint", time.Now())
	if err == nil || !strings.HasPrefix(err.Error(), "--report-dir ") {
		t.Errorf("error = %v, want it to name --report-dir", err)
	}
}

func TestLatestMovesOnlyOnPublish(t *testing.T) {
	root := t.TempDir()
	t0 := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	good, err := New(root, "", "load", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := good.Publish(); err != nil {
		t.Fatal(err)
	}
	bad, err := New(root, "", "load", t0.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if target, _ := os.Readlink(filepath.Join(root, "latest")); target != filepath.Base(good.Dir) {
		t.Errorf("latest -> %s before Publish, want the earlier run %s", target, filepath.Base(good.Dir))
	}
	if err := bad.Discard(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bad.Dir); !os.IsNotExist(err) {
		t.Errorf("discarded run folder still there: %v", err)
	}
	named, err := New(root, filepath.Join(root, "mine"), "load", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := named.Discard(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(named.Dir); err != nil {
		t.Errorf("Discard removed a --report-dir folder: %v", err)
	}
}
