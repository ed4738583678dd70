package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
)

// modicaSpecWith writes the embedded Modica spec with extra component
// schemas and a property `extra` of the PATCH /messages request body
// pointing at ref, and returns its path.
func modicaSpecWith(t *testing.T, schemas, ref string) string {
	t.Helper()
	s := string(modicaspec.Published())
	const comp = "  schemas:\n    APIErrorResponse:"
	const prop = "              message_id:\n                $ref: '#/components/schemas/Uuid'\n"
	if !strings.Contains(s, comp) || !strings.Contains(s, prop) {
		t.Fatal("the embedded spec changed: update modicaSpecWith")
	}
	s = strings.Replace(s, comp, "  schemas:\n"+schemas+"    APIErrorResponse:", 1)
	s = strings.Replace(s, prop, prop+"              extra:\n                $ref: '"+ref+"'\n", 1)
	return writeFile(t, "modica-extra.yaml", s)
}

// loadTestProfile is a one-second load profile whose thresholds a correct
// run meets on any machine.
func loadTestProfile(t *testing.T) string {
	t.Helper()
	return writeFile(t, "send-test.yaml", `name: send-test
stages:
  - {duration: 1s, rate: 10}
mix: {send: 1}
grace: 15s
thresholds:
  - success >= 0.99
  - violations == 0
  - dlr_complete >= 0.999
`)
}

// commandsWithSpec are sim, conform and load, each with --spec path.
func commandsWithSpec(t *testing.T, path string) map[string][]string {
	dir := t.TempDir()
	return map[string][]string{
		"sim":     {"sim", "--spec", path, "--listen", "127.0.0.1:0"},
		"conform": {"conform", "--spec", path, "--tags", "@health", "--format", "none", "--report-dir", filepath.Join(dir, "conform")},
		"load":    {"load", "--spec", path, "--profile", loadTestProfile(t), "--report-dir", filepath.Join(dir, "load")},
	}
}

func expectOneLineConfigError(t *testing.T, args []string, want ...string) {
	t.Helper()
	code, _, errOut := runBounded(t, time.Minute, args...)
	if code != exitUsage {
		t.Fatalf("expected exit %d, got %d; stderr:\n%s", exitUsage, code, errOut)
	}
	if !strings.HasPrefix(errOut, "wabcheck: --spec: ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("expected one line starting with `wabcheck: --spec: `, got %q", errOut)
	}
	for _, w := range want {
		if !strings.Contains(errOut, w) {
			t.Errorf("expected stderr to contain %q, got %q", w, errOut)
		}
	}
}

// TestSchemaCycleThroughAllOfIsAConfigErrorForEveryCommand: with the
// Modica spec plus Loop: {allOf: [Loop]}, sim, conform and load died with
// `fatal error: stack overflow`.
func TestSchemaCycleThroughAllOfIsAConfigErrorForEveryCommand(t *testing.T) {
	path := modicaSpecWith(t, "    Loop:\n      allOf:\n        - $ref: '#/components/schemas/Loop'\n", "#/components/schemas/Loop")
	for name, args := range commandsWithSpec(t, path) {
		t.Run(name, func(t *testing.T) {
			expectOneLineConfigError(t, args, path+":307:5:", "#/components/schemas/Loop", "no finite value")
		})
	}
}

// TestPlainRefLoopIsAConfigErrorForEveryCommand: A: {$ref: B}, B: {$ref:
// A} was accepted, and every message using it then failed with `found
// unresolved ref`, blamed on the target.
func TestPlainRefLoopIsAConfigErrorForEveryCommand(t *testing.T) {
	path := modicaSpecWith(t, "    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n", "#/components/schemas/A")
	for name, args := range commandsWithSpec(t, path) {
		t.Run(name, func(t *testing.T) {
			expectOneLineConfigError(t, args, path+":308:7:", "$ref loop #/components/schemas/A → #/components/schemas/B → #/components/schemas/A")
		})
	}
}

// treeSchema recurses through additionalProperties without a `type`, and
// has a default: kin-openapi's Schema.IsEmpty recursed forever on it while
// the spec was loaded (default check) and on every value checked.
const treeSchema = `    Tree:
      additionalProperties:
        $ref: '#/components/schemas/Tree'
      properties:
        name: {type: string, maxLength: 5}
      default: {}
`

// TestRecursiveSchemaSpecRunsEveryCommand: a spec with a recursive schema
// works with every command, and the simulator checks a request against it
// at depth.
func TestRecursiveSchemaSpecRunsEveryCommand(t *testing.T) {
	t.Chdir(t.TempDir())
	path := modicaSpecWith(t, treeSchema, "#/components/schemas/Tree")
	args := commandsWithSpec(t, path)
	for _, name := range []string{"conform", "load"} {
		if code, out, errOut := runBounded(t, time.Minute, args[name]...); code != exitOK {
			t.Errorf("%s: expected exit 0, got %d\nstdout %s\nstderr %s", name, code, out, errOut)
		}
	}
	var stdout, stderr simBuffer
	api, cancel, done := startSim(t, &stdout, &stderr, "--spec", path)
	status, body := simPatch(t, api, `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","extra":{"a":{"b":{"name":"far too long"}}}}`)
	if status != http.StatusBadRequest || !strings.Contains(body, `"field":"extra.a.b.name"`) || !strings.Contains(body, "maxLength") {
		t.Errorf("expected 400 naming extra.a.b.name and maxLength, got %d %s", status, body)
	}
	if status, body := simPatch(t, api, `{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","extra":{"a":{"b":{"name":"leaf"}}}}`); status != http.StatusNotFound {
		t.Errorf("expected the valid body to pass validation (404: unknown message), got %d %s", status, body)
	}
	cancel()
	if code := waitExit(t, done, &stderr); code != exitOK {
		t.Errorf("sim: expected exit 0, got %d; stderr:\n%s", code, stderr.String())
	}
}

func simPatch(t *testing.T, api, body string) (int, string) {
	t.Helper()
	resp, err := simCall(http.MethodPatch, api+"/messages", body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOpenAPI31SpecWarnsOnce: an OpenAPI 3.1 spec was used without a word
// that its 3.1 keywords go unchecked.
func TestOpenAPI31SpecWarnsOnce(t *testing.T) {
	t.Chdir(t.TempDir())
	path := writeFile(t, "modica-31.yaml", strings.Replace(string(modicaspec.Published()), "openapi: 3.0.1", "openapi: 3.1.0", 1))
	code, out, errOut := runBounded(t, time.Minute, commandsWithSpec(t, path)["conform"]...)
	if code != exitOK {
		t.Fatalf("expected exit 0, got %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if n := strings.Count(errOut, "wabcheck: warning: "+path+" is OpenAPI 3.1: "); n != 1 || !strings.Contains(errOut, "are not checked") {
		t.Errorf("expected one warning line about OpenAPI 3.1, got %d in %q", n, errOut)
	}
	if code, _, errOut := runBounded(t, time.Minute, "conform", "--tags", "@health", "--format", "none", "--report-dir", t.TempDir()); code != exitOK || strings.Contains(errOut, "warning") {
		t.Errorf("the embedded 3.0 spec: expected no warning, got exit %d and %q", code, errOut)
	}
}
