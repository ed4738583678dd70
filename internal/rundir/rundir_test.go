package rundir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPublishLinksLatest(t *testing.T) {
	root := t.TempDir()
	t0 := time.Date(2026, 11, 21, 5, 0, 0, 0, time.UTC)
	first, err := New(root, "", "conform", t0)
	if err != nil || first.Publish() != nil {
		t.Fatal(err)
	}
	if filepath.Base(first.Dir) != "conform-20261121T050000.000Z" {
		t.Errorf("first run folder = %s", first.Dir)
	}
	second, err := New(root, "", "load", t0.Add(time.Second))
	if err != nil || second.Publish() != nil {
		t.Fatal(err)
	}
	target, err := os.Readlink(filepath.Join(root, "latest"))
	if err != nil {
		t.Fatal(err)
	}
	if target != filepath.Base(second.Dir) {
		t.Errorf("latest -> %s, want %s", target, filepath.Base(second.Dir))
	}
}

func TestNewExplicitDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	got, err := New("", dir, "lint", time.Now())
	if err != nil || got.Dir != dir || got.Publish() != nil {
		t.Fatalf("New = %+v, %v", got, err)
	}
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o644)
	_, err = New("", filepath.Join(blocker, "x"), "lint", time.Now())
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
