// Package rundir creates the per-run output folders every wabcheck command
// writes to: reports/<command>-<timestamp>/, with reports/latest pointing at
// the newest run whose reports were written.
package rundir

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// DefaultRoot is where runs go unless --report-dir says otherwise.
const DefaultRoot = "reports"

// Run is one command's output folder.
type Run struct {
	// Dir is the folder reports are written to.
	Dir string
	// root is the reports root whose "latest" link Publish moves; empty
	// when the folder was given with --report-dir.
	root string
	// owned is set when this run created Dir itself (exclusively), so
	// Discard may remove it.
	owned bool
}

// maxAttempts bounds the suffixes tried when run folders of the same name
// already exist (runs started in the same millisecond).
const maxAttempts = 1000

// New makes a fresh run folder. With dir set (--report-dir), that exact
// folder is used and no "latest" link is kept; otherwise
// root/<command>-<UTC timestamp> is created exclusively (with a -2, -3, …
// suffix when a run started in the same millisecond has it). The "latest" link moves only
// when Publish is called, after the reports are written, so it never
// points at a run that left nothing to read.
func New(root, dir, command string, now time.Time) (*Run, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("--report-dir %s: %w", dir, err)
		}
		return &Run{Dir: dir}, nil
	}
	if root == "" {
		root = DefaultRoot
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("create report folder %s: %w", root, err)
	}
	name := fmt.Sprintf("%s-%s", command, now.UTC().Format("20060102T150405.000Z"))
	path, err := mkdirUnique(filepath.Join(root, name))
	if err != nil {
		return nil, err
	}
	return &Run{Dir: path, root: root, owned: true}, nil
}

// mkdirUnique creates base, or base-2, base-3, … when it exists: os.Mkdir
// fails on an existing folder, so no two runs ever share one.
func mkdirUnique(base string) (string, error) {
	for i := 1; i <= maxAttempts; i++ {
		path := base
		if i > 1 {
			path = base + "-" + strconv.Itoa(i)
		}
		err := os.Mkdir(path, 0o755)
		if err == nil {
			return path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("create report folder %s: %w", path, err)
		}
	}
	return "", fmt.Errorf("create report folder %s: %d folders of that name exist already", base, maxAttempts)
}

// Publish points root/latest at this run (a no-op for --report-dir).
func (r *Run) Publish() error {
	if r.root == "" {
		return nil
	}
	return pointLatest(r.root, filepath.Base(r.Dir))
}

// Discard removes a run folder that holds nothing worth keeping (for
// example when the run failed before writing any report). It removes only
// a folder this run created itself: never a --report-dir folder the user
// named, never another run's.
func (r *Run) Discard() error {
	if !r.owned {
		return nil
	}
	return os.RemoveAll(r.Dir)
}

// pointLatest replaces root/latest with a relative symlink to name,
// atomically (symlink to a temp name, then rename over).
func pointLatest(root, name string) error {
	latest := filepath.Join(root, "latest")
	// a name of its own: runs publishing at once (in one process or
	// several) never replace each other's temporary link
	tmp := filepath.Join(root, fmt.Sprintf(".latest-%d-%x", os.Getpid(), rand.Uint64()))
	if err := os.Symlink(name, tmp); err != nil {
		return fmt.Errorf("link %s: %w", latest, err)
	}
	if fi, err := os.Lstat(latest); err == nil && fi.IsDir() && fi.Mode()&os.ModeSymlink == 0 {
		_ = os.Remove(tmp)
		return fmt.Errorf("link %s: a real folder is in the way; remove it", latest)
	}
	if err := os.Rename(tmp, latest); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("link %s: %w", latest, err)
	}
	return nil
}
