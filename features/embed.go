// Package features holds wabcheck's conformance suite: Gherkin feature files,
// one per capability of a WhatsApp Business messaging API, written so that a
// vendor's engineer can read them. The files in this folder run for every
// vendor (the dialect supplies the wire; a scenario needing a capability the
// vendor lacks is skipped, saying why); each vendor's folder (modica/,
// ycloud/, onprem/) adds the scenarios only its API has. They are embedded so the wabcheck binary
// carries the whole suite; `wabcheck conform` runs them with the step library
// in package steps.
//
// Tags:
//
//	@sim-only     needs the simulator's admin API or magic numbers; skipped against a real target
//	@assisted     needs a person (for example to send a WhatsApp message from a phone); run only with --assisted
//	@slow         waits for real time (a Retry-After of at least 10 s); skipped unless asked for
//	@destructive  sends many real messages or bursts past the rate limit; skipped against a real target unless asked for
//	@serial       must not run concurrently with other scenarios (it exhausts the shared rate limit)
package features

import (
	"embed"
	"io/fs"
	"path"
	"sort"
)

// FS holds every *.feature file of the suite.
//
//go:embed *.feature */*.feature
var FS embed.FS

// Paths selects a vendor's suite in fsys: the feature files at its root
// (every vendor's) and the vendor's folder, when there is one.
func Paths(fsys fs.FS, vendor string) []string {
	var out []string
	root, _ := fs.Glob(fsys, "*.feature")
	out = append(out, root...)
	if own, _ := fs.Glob(fsys, path.Join(vendor, "*.feature")); len(own) > 0 {
		out = append(out, vendor)
	}
	sort.Strings(out)
	return out
}
