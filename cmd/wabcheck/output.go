package main

import (
	"bytes"
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
	run, err := rundir.New("", reportDir, command, time.Now())
	if err != nil {
		return "", err
	}
	for name, b := range files {
		p := filepath.Join(run.Dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			_ = run.Discard()
			return "", fmt.Errorf("write %s: %w", p, err)
		}
	}
	return run.Dir, run.Publish()
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
	return isTTY(w)
}

// reportWriter writes one report to w, as JSON or as text.
type reportWriter func(w io.Writer) error

// writeReportFiles writes <command>.json and <command>.txt to the run
// folder for command (or --report-dir reportDir); it returns the folder.
func writeReportFiles(reportDir, command string, writeJSON, writeText reportWriter) (string, error) {
	var js, txt bytes.Buffer
	if err := writeJSON(&js); err != nil {
		return "", err
	}
	if err := writeText(&txt); err != nil {
		return "", err
	}
	return writeRunFiles(reportDir, command, map[string][]byte{command + ".json": js.Bytes(), command + ".txt": txt.Bytes()})
}

// printReport prints a report to stdout as JSON (format "json") or as
// text, then names the run folder dir: on stderr after JSON, so stdout
// stays one JSON document, on stdout after text.
func printReport(format, dir string, stdout, stderr io.Writer, writeJSON, writeText reportWriter) error {
	write, note := writeText, stdout
	if format == "json" {
		write, note = writeJSON, stderr
	}
	if err := write(stdout); err != nil {
		return err
	}
	fmt.Fprintf(note, "report: %s\n", dir)
	return nil
}
