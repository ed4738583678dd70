// Package rundir creates the per-run output folders every wabcheck command
// writes to: reports/<command>-<timestamp>/, with reports/latest pointing at
// the newest one.
package rundir

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// DefaultRoot is where runs go unless --report-dir says otherwise.
const DefaultRoot = "reports"

// Create makes a fresh run folder. With dir set (--report-dir), that exact
// folder is used; otherwise root/<command>-<UTC timestamp> is created and
// root/latest is pointed at it. It returns the folder's path.
func Create(root, dir, command string, now time.Time) (string, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("--report-dir %s: %w", dir, err)
		}
		return dir, nil
	}
	if root == "" {
		root = DefaultRoot
	}
	name := fmt.Sprintf("%s-%s", command, now.UTC().Format("20060102T150405.000Z"))
	path := filepath.Join(root, name)
	if err := os.MkdirAll(path, 0o755); err != nil {
		return "", fmt.Errorf("create report folder %s: %w", path, err)
	}
	if err := pointLatest(root, name); err != nil {
		return "", err
	}
	return path, nil
}

// pointLatest replaces root/latest with a relative symlink to name,
// atomically (symlink to a temp name, then rename over).
func pointLatest(root, name string) error {
	latest := filepath.Join(root, "latest")
	tmp := filepath.Join(root, fmt.Sprintf(".latest-%d", os.Getpid()))
	_ = os.Remove(tmp)
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
