package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wabcheck/wabcheck/internal/rundir"
)

// writeRunFiles creates the run folder for command (or uses --report-dir)
// and writes files into it; it returns the folder.
func writeRunFiles(reportDir, command string, files map[string][]byte) (string, error) {
	dir, err := rundir.Create("", reportDir, command, time.Now())
	if err != nil {
		return "", err
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return "", fmt.Errorf("write %s: %w", p, err)
		}
	}
	return dir, nil
}

// checkColor validates a --color value.
func checkColor(when string) error {
	if when != "auto" && when != "always" && when != "never" {
		return fmt.Errorf("--color %q: want auto, always or never", when)
	}
	return nil
}

// useColor: always/never as asked; auto colours only a terminal, and never
// when NO_COLOR is set.
func useColor(when string, w io.Writer) bool {
	switch when {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
