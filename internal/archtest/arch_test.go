package archtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/wabcheck/wabcheck"

// Layers of the module's packages, from the top. A package is in the
// first layer whose list names it (or a parent folder of it, for vendor);
// every other package of the module is a leaf.
const (
	layerCmd      = "cmd"      // the command
	layerRun      = "run"      // what the commands run
	layerHarness  = "harness"  // the in-process machinery of a run
	layerLoadPart = "loadpart" // what load runs and writes: profiles, thresholds, the run record, its reports
	layerCore     = "core"     // simulator core, callback receiver, reports
	layerValidate = "validate" // the spec validator
	layerLeaf     = "leaf"     // spec, the dialect interfaces, helpers
	layerVendor   = "vendor"   // internal/dialect/<vendor>/...
	layerRegistry = "registry" // internal/dialect/all
	layerTestHelp = "testhelp" // helpers only _test.go files import
)

// members names the packages of each named layer (relative to the module).
var members = map[string][]string{
	layerCmd:      {"cmd/wabcheck"},
	layerRun:      {"internal/conform", "load", "internal/probe", "internal/compare"},
	layerHarness:  {"internal/harness", "steps"},
	layerLoadPart: {"load/profiles", "load/threshold", "load/summary", "load/report"},
	layerCore:     {"internal/sim", "internal/callbacks", "internal/report"},
	layerValidate: {"internal/validate"},
	layerRegistry: {"internal/dialect/all"},
	layerTestHelp: {"internal/sim/simtest", "internal/sim/wiretest", "internal/golden"},
}

// mayImport is the table of allowed edges between layers: a package may
// import the module's packages of the layers listed for its own layer.
// Within a layer only leaves import each other, plus sameLayer's edges;
// vendor packages import their own vendor's packages and no other's.
var mayImport = map[string][]string{
	layerCmd:      {layerRun, layerLoadPart, layerHarness, layerCore, layerValidate, layerLeaf, layerRegistry},
	layerRun:      {layerLoadPart, layerHarness, layerCore, layerValidate, layerLeaf},
	layerLoadPart: {layerLeaf},
	layerHarness:  {layerCore, layerValidate, layerLeaf},
	layerCore:     {layerValidate, layerLeaf},
	layerValidate: {layerLeaf},
	layerLeaf:     {layerLeaf},
	layerVendor:   {layerCore, layerValidate, layerLeaf},
	layerRegistry: {layerVendor},
	// No layer lists layerTestHelp: a package that is not a test may not
	// import the test helpers.
	layerTestHelp: {layerCore, layerValidate, layerLeaf},
}

// sameLayer lists the edges allowed within a named layer.
var sameLayer = map[[2]string]string{
	{"internal/harness", "steps"}:                     "the harness wraps the receiver in steps.CallbackAuth",
	{"load/profiles", "load/threshold"}:               "a profile's thresholds are threshold expressions",
	{"load/summary", "load/threshold"}:                "a summary supplies the thresholds' values and keeps their results",
	{"load/report", "load/summary"}:                   "the load reports render a summary",
	{"internal/sim/wiretest", "internal/sim/simtest"}: "wiretest's Start takes a simtest.Spec",
}

// layerOf returns a package's layer and, for a vendor package, the vendor.
func layerOf(pkg string) (layer, vendor string) {
	for l, pkgs := range members {
		if slices.Contains(pkgs, pkg) {
			return l, ""
		}
	}
	if rest, ok := strings.CutPrefix(pkg, "internal/dialect/"); ok {
		v, _, _ := strings.Cut(rest, "/")
		return layerVendor, v
	}
	return layerLeaf, ""
}

// checkEdge says why from may not import to ("" when it may). Both are
// relative to the module.
func checkEdge(from, to string) string {
	fl, fv := layerOf(from)
	tl, tv := layerOf(to)
	switch {
	case tl == layerVendor && fl != layerVendor && fl != layerRegistry:
		return "a neutral package imports a vendor's package (only internal/dialect/all may, and only cmd/wabcheck imports that)"
	case tl == layerRegistry && fl != layerCmd:
		return "only cmd/wabcheck imports internal/dialect/all"
	case fl == layerVendor && tl == layerVendor && fv != tv:
		return "a vendor imports another vendor's package"
	case fl == layerVendor && tl == layerVendor:
		return ""
	case sameLayer[[2]string{from, to}] != "":
		return ""
	case slices.Contains(mayImport[fl], tl) && (fl != tl || fl == layerLeaf):
		return ""
	}
	return fmt.Sprintf("layer %s may import only %s", fl, strings.Join(mayImport[fl], ", "))
}

// pkg is what go list says of one package.
type pkg struct {
	ImportPath string
	Imports    []string
}

// modulePackages lists the module's packages and their (non-test)
// imports with `go list`.
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", module+"/...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// violations checks every edge within the module.
func violations(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		from := strings.TrimPrefix(p.ImportPath, module+"/")
		for _, imp := range p.Imports {
			to, ok := strings.CutPrefix(imp, module+"/")
			if !ok {
				continue
			}
			if why := checkEdge(from, to); why != "" {
				out = append(out, fmt.Sprintf("%s imports %s: %s", from, to, why))
			}
		}
	}
	return out
}

// TestImportRules: the module's packages import each other only along
// the table's edges.
func TestImportRules(t *testing.T) {
	pkgs := modulePackages(t)
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	for _, names := range members {
		for _, n := range names {
			if !slices.ContainsFunc(pkgs, func(p pkg) bool { return p.ImportPath == module+"/"+n }) {
				t.Errorf("the table names %s, which go list does not find: update the table", n)
			}
		}
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

// TestImportRulesCatchBrokenEdges: each kind of broken edge is reported,
// and the edges the layering allows are not.
func TestImportRulesCatchBrokenEdges(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		bad      bool
	}{
		{"internal/sim", "internal/dialect/modica", true},
		{"internal/conform", "internal/dialect/modica/modicasim", true},
		{"steps", "internal/dialect/all", true},
		{"cmd/wabcheck", "internal/dialect/ycloud", true},
		{"internal/dialect/ycloud/ycloudsim", "internal/harness", true},
		{"internal/dialect/modica", "internal/conform", true},
		{"internal/dialect/onprem", "steps", true},
		{"internal/dialect/ycloud", "internal/dialect/modica", true},
		{"internal/validate", "internal/sim", true},
		{"internal/sim", "internal/callbacks", true},
		{"internal/harness", "internal/conform", true},
		{"internal/conform", "load", true},
		{"internal/compare", "load", true},
		{"load/report", "load", true},
		{"load/summary", "load/report", true},
		{"load/profiles", "load/summary", true},
		{"load/summary", "internal/callbacks", true},
		{"load/threshold", "load/profiles", true},
		{"internal/dialect", "internal/validate", true},
		{"spec", "internal/report", true},
		{"internal/sim", "internal/sim/simtest", true},
		{"steps", "internal/sim/wiretest", true},
		{"internal/dialect/modica/modicasim", "internal/sim/simtest", true},
		{"internal/sim/simtest", "internal/dialect/modica", true},
		{"cmd/wabcheck", "internal/dialect/all", false},
		{"internal/dialect/all", "internal/dialect/modica/modicasim", false},
		{"internal/dialect/modica/modicasim", "internal/sim", false},
		{"internal/dialect/modica/modicasim", "internal/dialect/modica", false},
		{"internal/dialect/ycloud", "internal/validate", false},
		{"internal/harness", "steps", false},
		{"internal/compare", "load/summary", false},
		{"load", "load/report", false},
		{"load", "load/profiles", false},
		{"load/report", "load/summary", false},
		{"cmd/wabcheck", "load/profiles", false},
		{"internal/conform", "internal/harness", false},
		{"internal/sim", "internal/validate", false},
		{"internal/validate", "internal/dialect", false},
		{"internal/dispatch", "internal/httpc", false},
		{"internal/sim/wiretest", "internal/sim", false},
		{"internal/sim/wiretest", "internal/sim/simtest", false},
		{"internal/sim/simtest", "internal/validate", false},
	} {
		why := checkEdge(tc.from, tc.to)
		if (why != "") != tc.bad {
			t.Errorf("%s → %s: got %q, want bad=%v", tc.from, tc.to, why, tc.bad)
		}
	}
	got := violations([]pkg{{ImportPath: module + "/internal/callbacks", Imports: []string{"fmt", module + "/internal/dialect/onprem"}}})
	if len(got) != 1 || !strings.Contains(got[0], "internal/callbacks imports internal/dialect/onprem") {
		t.Errorf("violations = %q, want one naming internal/callbacks imports internal/dialect/onprem", got)
	}
}
