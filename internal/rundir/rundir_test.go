package rundir

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// TestConcurrentRunsGetUniqueFolders (issue 13 item 12): 40 runs started in
// the same millisecond made 39 folders, two runs sharing one; and Discard
// of a failing run could remove a folder another run was writing.
func TestConcurrentRunsGetUniqueFolders(t *testing.T) {
	root := t.TempDir()
	now := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	const n = 40
	runs := make([]*Run, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i], errs[i] = New(root, "", "lint", now)
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for i, r := range runs {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if j, dup := seen[r.Dir]; dup {
			t.Fatalf("runs %d and %d share %s", j, i, r.Dir)
		}
		seen[r.Dir] = i
		if err := os.WriteFile(filepath.Join(r.Dir, "mine"), []byte(r.Dir), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i += 2 { // every other run fails and discards its folder
		if err := runs[i].Discard(); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < n; i += 2 {
		b, err := os.ReadFile(filepath.Join(runs[i].Dir, "mine"))
		if err != nil || string(b) != runs[i].Dir {
			t.Errorf("run %d lost its folder to another run's Discard: %q, %v", i, b, err)
		}
	}
}

// TestDiscardKeepsAFolderThisRunDidNotCreate: a --report-dir that already
// held files, or a run folder that is not ours, is never removed.
func TestDiscardKeepsAFolderThisRunDidNotCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "existing")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := New("", dir, "lint", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Discard(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("Discard removed a folder it did not create: %v", err)
	}
}
