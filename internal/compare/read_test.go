package compare

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRun makes a folder holding files (name → content).
func writeRun(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestReadErrorsNameFolderAndFile: each way a folder can fail to be a
// readable wabcheck run is one line naming the folder and, where there is
// one, the file.
func TestReadErrorsNameFolderAndFile(t *testing.T) {
	conformHead := `{"tool": "wabcheck conform"}`
	file := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
		want string
	}{
		{"missing folder", filepath.Join(t.TempDir(), "nope"), "no such folder"},
		{"a file", file, "not a folder"},
		{"no summary.json", writeRun(t, nil), "no summary.json; not a wabcheck run folder"},
		{"summary.json not JSON", writeRun(t, map[string]string{"summary.json": "{"}), "summary.json: not valid JSON"},
		{"no tool", writeRun(t, map[string]string{"summary.json": `{"scenarios": {}}`}), `summary.json has no "tool" field`},
		{"other tool", writeRun(t, map[string]string{"summary.json": `{"tool": "wabcheck spec lint"}`}), `summary.json is from "wabcheck spec lint", not a wabcheck conform or load run`},
		{"conform without run.json", writeRun(t, map[string]string{"summary.json": conformHead}), "no run.json"},
		{"conform run.json not JSON", writeRun(t, map[string]string{"summary.json": conformHead, "run.json": "[1,"}), "run.json: not valid JSON"},
		{"load summary of the wrong shape", writeRun(t, map[string]string{"summary.json": `{"tool": "wabcheck load", "requests": "many"}`}), "summary.json: not what a wabcheck run writes"},
	}
	for _, tt := range tests {
		_, err := Read([]string{"testdata/clean", tt.dir})
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tt.dir) || !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q; want one line naming %s and saying %q", tt.name, msg, tt.dir, tt.want)
		}
	}
}

// TestReadWantsTwoFolders: one folder is nothing to compare.
func TestReadWantsTwoFolders(t *testing.T) {
	if _, err := Read([]string{"testdata/clean"}); err == nil || !strings.Contains(err.Error(), "two or more") {
		t.Errorf("one folder: %v", err)
	}
}

// TestFolderNameResolvesLinks: reports/latest is shown as the run it
// points at.
func TestFolderNameResolvesLinks(t *testing.T) {
	root := t.TempDir()
	run := filepath.Join(root, "conform-20260101T000000.000Z")
	if err := os.Mkdir(run, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Base(run), filepath.Join(root, "latest")); err != nil {
		t.Fatal(err)
	}
	if got := folderName(filepath.Join(root, "latest")); got != filepath.Base(run) {
		t.Errorf("folderName(latest) = %q", got)
	}
}
