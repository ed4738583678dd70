package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoRacePackagesStartNoGoroutine fails when a package the Makefile
// runs without -race (its NORACE) starts a goroutine or imports sync:
// then it must go back under the race detector.
func TestNoRacePackagesStartNoGoroutine(t *testing.T) {
	pkgs := noRace(t)
	if len(pkgs) == 0 {
		t.Fatal("the Makefile has no NORACE line")
	}
	for _, pkg := range pkgs {
		files, _ := filepath.Glob(filepath.Join("..", "..", pkg, "*.go"))
		if len(files) == 0 {
			t.Errorf("NORACE names %s, which has no Go files", pkg)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			if why := concurrency(t, f); why != "" {
				t.Errorf("%s %s: run it with -race (remove it from the Makefile's NORACE)", f, why)
			}
		}
	}
}

// noRace reads the Makefile's NORACE: the packages (paths in the module)
// `make test` runs without the race detector.
func noRace(t *testing.T) []string {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mk), "\n") {
		if rest, ok := strings.CutPrefix(line, "NORACE :="); ok {
			var out []string
			for _, p := range strings.Fields(rest) {
				out = append(out, strings.TrimPrefix(p, module+"/"))
			}
			return out
		}
	}
	return nil
}

// concurrency says how file f is concurrent ("" when it is not).
func concurrency(t *testing.T, f string) string {
	file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range file.Imports {
		if p := strings.Trim(im.Path.Value, `"`); p == "sync" || p == "sync/atomic" {
			return "imports " + p
		}
	}
	why := ""
	ast.Inspect(file, func(n ast.Node) bool {
		if _, ok := n.(*ast.GoStmt); ok {
			why = "starts a goroutine"
		}
		return why == ""
	})
	return why
}
