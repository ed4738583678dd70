package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/spec"
)

// writeVariant writes the embedded spec with old replaced by new to a temp
// file and returns its path.
func writeVariant(t *testing.T, old, new string) string {
	t.Helper()
	data := modicaspec.Published()
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("embedded spec lacks %q", old)
	}
	p := filepath.Join(t.TempDir(), "variant.yaml")
	if err := os.WriteFile(p, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSpecDiffExitCodes(t *testing.T) {
	breaking := writeVariant(t, "maxLength: 15\n", "maxLength: 12\n")
	additive := writeVariant(t, "paths:\n", "paths:\n  /ping:\n    get:\n      responses:\n        '200':\n          description: OK\n")
	swagger := writeFile(t, "swagger.yaml", "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n")
	notYAML := writeFile(t, "bad.yaml", "openapi: [3.0\n")
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	tests := []struct {
		name string
		args []string
		code int
		out  string // substring of stdout (exit 0/1) or stderr (exit 2)
	}{
		{"same spec", []string{"embedded", "embedded"}, exitOK, "0 changes"},
		{"breaking change", []string{"embedded", breaking}, exitFailed, "request-max-length-decreased"},
		{"breaking change, fail-on none", []string{"embedded", breaking, "--fail-on", "none"}, exitOK, "1 breaking"},
		{"additive change", []string{"embedded", additive}, exitOK, "path-added"},
		{"additive change, fail-on any", []string{"embedded", additive, "--fail-on", "any"}, exitFailed, "path-added"},
		{"reverse of additive is breaking", []string{additive, "embedded"}, exitFailed, "path-removed"},
		{"missing file", []string{"embedded", missing}, exitUsage, "no such file"},
		{"not YAML", []string{notYAML, "embedded"}, exitUsage, "not valid YAML"},
		{"swagger 2.0", []string{"embedded", swagger}, exitUsage, "Swagger"},
		{"bad fail-on", []string{"embedded", "embedded", "--fail-on", "sometimes"}, exitUsage, "--fail-on"},
		{"bad format", []string{"embedded", "embedded", "--format", "xml"}, exitUsage, "--format"},
		{"one argument", []string{"embedded"}, exitUsage, "accepts 2 arg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"spec", "diff", "--report-dir", t.TempDir()}, tc.args...)
			code, out, errOut := runCLI(t, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			where := out
			if tc.code == exitUsage {
				where = errOut
			}
			if !strings.Contains(where, tc.out) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tc.out, out, errOut)
			}
		})
	}
}

func TestSpecDiffJSONAndReport(t *testing.T) {
	breaking := writeVariant(t, "maxLength: 15\n", "maxLength: 12\n")
	dir := filepath.Join(t.TempDir(), "out")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"spec", "diff", "embedded", breaking, "--format", "json", "--report-dir", dir}, &out, &errOut)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1; stderr: %s", code, errOut.String())
	}
	var r struct {
		Summary struct{ Total, Breaking, NonBreaking int }
		Changes []struct {
			Code     string
			Breaking bool
			Path     string
			Old, New spec.Location
		}
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if r.Summary.Total != 1 || r.Summary.Breaking != 1 || len(r.Changes) != 1 {
		t.Fatalf("summary %+v, changes %+v", r.Summary, r.Changes)
	}
	c := r.Changes[0]
	if c.Code != "request-max-length-decreased" || !c.Breaking || c.Old.Line == 0 || c.New.Line == 0 ||
		c.Old.File != modicaspec.Source.Name || c.New.File != breaking {
		t.Errorf("change %+v", c)
	}
	for _, name := range []string{"diff.json", "diff.txt"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("report file: %v", err)
		}
	}
	if !strings.Contains(errOut.String(), "report: "+dir) {
		t.Errorf("stderr does not say where the report went: %q", errOut.String())
	}
}

func TestSpecDiffTextNoColorWhenNotTTY(t *testing.T) {
	breaking := writeVariant(t, "maxLength: 15\n", "maxLength: 12\n")
	code, out, _ := runCLI(t, "spec", "diff", "embedded", breaking, "--report-dir", t.TempDir())
	if code != exitFailed || strings.Contains(out, "\x1b[") {
		t.Errorf("exit %d; colour codes in non-terminal output: %q", code, out)
	}
	code, out, _ = runCLI(t, "spec", "diff", "embedded", breaking, "--color", "always", "--report-dir", t.TempDir())
	if code != exitFailed || !strings.Contains(out, "\x1b[31m") {
		t.Errorf("exit %d; --color always gave no colour: %q", code, out)
	}
}
