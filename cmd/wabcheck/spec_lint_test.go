package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpecLintBadInputExit2: unreadable or unusable specs exit 2 with one
// clear line, and do not hang.
func TestSpecLintBadInputExit2(t *testing.T) {
	bomb := "a: &a [x,x,x,x,x,x,x,x,x]\n"
	for i := 'b'; i <= 'j'; i++ {
		prev := string(i - 1)
		bomb += string(i) + ": &" + string(i) + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, c := range []struct{ name, path, want string }{
		{"missing", filepath.Join(t.TempDir(), "nope.yaml"), "no such file"},
		{"directory", t.TempDir(), "is a directory"},
		{"not-yaml", writeFile(t, "bad.yaml", "openapi: [3.0\n  paths: {"), "not valid YAML"},
		{"swagger2", writeFile(t, "sw.yaml", "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n"), "Swagger 2.0"},
		{"not-openapi", writeFile(t, "x.yaml", "hello: world\n"), "no top-level `openapi`"},
		{"bomb", writeFile(t, "bomb.yaml", "openapi: 3.0.0\npaths: {}\n"+bomb), "YAML"},
		{"50MB", big, "wabcheck reads at most"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "spec", "lint", "--spec", c.path, "--report-dir", t.TempDir())
			if code != exitUsage {
				t.Errorf("exit %d, want %d (stderr %q)", code, exitUsage, errOut)
			}
			if !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("stderr %q: want one line containing %q", errOut, c.want)
			}
		})
	}
}

func TestSpecLintBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"spec", "lint", "--format", "xml"},
		{"spec", "lint", "--group", "file"},
		{"spec", "lint", "--color", "sometimes"},
		{"spec", "lint", "--errata", "/nonexistent/errata.yaml"},
	} {
		code, _, errOut := runCLI(t, append(args, "--report-dir", t.TempDir())...)
		if code != exitUsage || !strings.HasPrefix(errOut, "wabcheck: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// TestSpecLintModica: the embedded spec has error-level defects (exit 1);
// the report is written and its folder printed.
func TestSpecLintModica(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "spec", "lint", "--report-dir", dir)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1; stderr %q", code, errOut)
	}
	for _, want := range []string{"callback-expression-invalid", "fixed by erratum: E1.", "report: " + dir, "modica-wab-v1.2.0.yaml:"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes written to a non-terminal")
	}
	for _, name := range []string{"lint.json", "lint.txt"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("report file: %v", err)
		}
	}
}

func TestSpecLintJSONStrict(t *testing.T) {
	code, out, errOut := runCLI(t, "spec", "lint", "--format", "json", "--errata", "none", "--report-dir", t.TempDir())
	if code != exitFailed {
		t.Fatalf("exit %d; stderr %q", code, errOut)
	}
	var r struct {
		Errata  string `json:"errata"`
		Summary struct {
			Errors        int `json:"errors"`
			FixedByErrata int `json:"fixed_by_errata"`
		} `json:"summary"`
		Findings []struct {
			Code, Severity, Pointer, Message string
			Location                         struct{ Line int }
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	if r.Errata != "none" || r.Summary.Errors == 0 || r.Summary.FixedByErrata != 0 || len(r.Findings) == 0 || r.Findings[0].Location.Line == 0 {
		t.Errorf("unexpected report: errata %q summary %+v", r.Errata, r.Summary)
	}
	if !strings.Contains(errOut, "report: ") {
		t.Errorf("stderr %q does not say where the report went", errOut)
	}
}

func TestSpecLintCleanSpecExit0(t *testing.T) {
	p := writeFile(t, "ok.yaml", `openapi: 3.0.3
info: {title: T, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /things:
    get:
      operationId: getThings
      summary: List things
      responses:
        '200': {description: OK}
        '400': {description: Bad}
`)
	code, out, errOut := runCLI(t, "spec", "lint", "--spec", p, "--report-dir", t.TempDir(), "--color", "always")
	if code != exitOK {
		t.Fatalf("exit %d; stderr %q", code, errOut)
	}
	if !strings.Contains(out, "0 errors, 0 warnings, 0 info") {
		t.Errorf("stdout %q", out)
	}
}
