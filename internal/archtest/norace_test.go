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

// noRace lists the packages `make test` runs without the race detector
// (the Makefile's NORACE): they must have no concurrency for that to be
// sound.
var noRace = []string{"internal/specdiff"}

// TestNoRacePackagesStartNoGoroutine fails when a package the Makefile
// runs without -race starts a goroutine or imports sync: then it must go
// back under the race detector (remove it from NORACE and from noRace).
func TestNoRacePackagesStartNoGoroutine(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range noRace {
		if !strings.Contains(string(mk), module+"/"+pkg) {
			t.Errorf("the Makefile's NORACE does not list %s: keep the two lists equal", pkg)
		}
		files, _ := filepath.Glob(filepath.Join("..", "..", pkg, "*.go"))
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
