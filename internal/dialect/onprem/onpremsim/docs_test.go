package onpremsim

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// TestDocFaultTableMatchesCatalogue keeps the on-premises fault table of
// docs/simulator.md equal to the catalogue (the core's request faults,
// worded as for every vendor, are in the Modica table).
func TestDocFaultTableMatchesCatalogue(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "docs", "simulator.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## The on-premises WhatsApp Business API")
	if !ok {
		t.Fatal("docs/simulator.md has no on-premises section")
	}
	row := regexp.MustCompile(`(?m)^\| \*\*([a-z0-9-]+)\*\* \| (.+) \| (.+) \|$`)
	got := map[string][2]string{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		got[m[1]] = [2]string{m[2], m[3]}
	}
	all, err := sim.Faults(New())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if f.Name == "server-error-burst" || f.Name == "latency-spike" {
			continue
		}
		if g, ok := got[f.Name]; !ok {
			t.Errorf("no row for %s", f.Name)
		} else if g != [2]string{f.Does, f.Conformant} {
			t.Errorf("row %s = %q,\n want %q", f.Name, g, [2]string{f.Does, f.Conformant})
		}
		delete(got, f.Name)
	}
	for name := range got {
		t.Errorf("row %s names no fault of the catalogue", name)
	}
}
