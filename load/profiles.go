package load

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

//go:embed profiles/*.yaml
var builtin embed.FS

// Builtin lists the built-in profiles, by name.
func Builtin() ([]*Profile, error) {
	names, err := fs.Glob(builtin, "profiles/*.yaml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []*Profile
	for _, n := range names {
		p, err := loadBuiltin(strings.TrimSuffix(path.Base(n), ".yaml"))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func loadBuiltin(name string) (*Profile, error) {
	b, err := builtin.ReadFile("profiles/" + name + ".yaml")
	if err != nil {
		return nil, err
	}
	return Parse("builtin:"+name, b)
}

// LoadProfile reads --profile: a built-in name (send, broadcast,
// ratelimit, soak) or a YAML file.
func LoadProfile(nameOrFile string) (*Profile, error) {
	if !strings.ContainsAny(nameOrFile, "/\\.") {
		p, err := loadBuiltin(nameOrFile)
		if err == nil {
			return p, nil
		}
		if _, statErr := os.Stat(nameOrFile); statErr != nil {
			return nil, fmt.Errorf("--profile %s: no built-in profile or file of that name (built-ins: send, broadcast, ratelimit, soak)", nameOrFile)
		}
	}
	b, err := spec.ReadFile(nameOrFile) // size-bounded, also for devices and pipes
	if err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	return Parse(nameOrFile, b)
}
