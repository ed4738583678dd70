package profiles

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/wabcheck/wabcheck/spec"
)

// Built-in profiles: *.yaml (beside this file) serve every vendor; a
// vendor's own (<vendor>/*.yaml) add to them, and one of the same name
// replaces the common one for that vendor.
//
//go:embed *.yaml */*.yaml
var builtin embed.FS

// Builtin lists the built-in profiles of vendor ("" for the common ones),
// by name.
func Builtin(vendor string) ([]*Profile, error) {
	names := builtinNames(vendor)
	out := make([]*Profile, 0, len(names))
	for _, n := range names {
		p, err := loadBuiltin(n, vendor)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// builtinNames are the names of vendor's built-in profiles, sorted.
func builtinNames(vendor string) []string {
	common, _ := fs.Glob(builtin, "*.yaml")
	own, _ := fs.Glob(builtin, path.Join(path.Base(vendor+"/"), "*.yaml"))
	var names []string
	for _, n := range append(common, own...) {
		names = append(names, strings.TrimSuffix(path.Base(n), ".yaml"))
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// loadBuiltin reads a built-in profile: vendor's own, else the common one.
func loadBuiltin(name, vendor string) (*Profile, error) {
	if vendor != "" {
		if b, err := builtin.ReadFile(path.Join(vendor, name+".yaml")); err == nil {
			return Parse("builtin:"+vendor+"/"+name, b)
		}
	}
	b, err := builtin.ReadFile(name + ".yaml")
	if err != nil {
		return nil, err
	}
	return Parse("builtin:"+name, b)
}

// Load reads --profile: a built-in name of vendor's (`wabcheck
// load profiles --vendor V` lists them) or a YAML file.
func Load(nameOrFile, vendor string) (*Profile, error) {
	if !strings.ContainsAny(nameOrFile, "/\\.") {
		p, err := loadBuiltin(nameOrFile, vendor)
		if err == nil {
			return p, nil
		}
		if _, statErr := os.Stat(nameOrFile); statErr != nil {
			return nil, fmt.Errorf("--profile %s: no built-in profile or file of that name (built-ins: %s)", nameOrFile, strings.Join(builtinNames(vendor), ", "))
		}
	}
	b, err := spec.ReadFile(nameOrFile) // size-bounded, also for devices and pipes
	if err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	return Parse(nameOrFile, b)
}
