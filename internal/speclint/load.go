package speclint

import (
	"github.com/wabcheck/wabcheck/spec"
	"gopkg.in/yaml.v3"
)

// Source selects a spec and errata the way the --spec and --errata flags
// do: File empty means the embedded Modica spec; Errata is an overlay
// path, spec.ErrataNone, or empty for the shipped errata when the spec is
// the one they were written for.
type Source struct {
	File   string
	Errata string
}

// Load reads and checks the spec (size bound, YAML, OpenAPI 3.x) and the
// errata overlay. Its errors are configuration errors naming the file.
// Unlike spec.Load it does not build a kin-openapi model, so a spec with
// dangling $refs can still be linted.
func Load(src Source) (Input, Options, error) {
	in := Input{Path: spec.EmbeddedName, Data: spec.Embedded()}
	if src.File != "" {
		data, err := spec.ReadFile(src.File)
		if err != nil {
			return Input{}, Options{}, err
		}
		in = Input{Path: src.File, Data: data}
	}
	if err := spec.CheckOpenAPI(in.Path, in.Data); err != nil {
		return Input{}, Options{}, err
	}
	opts := Options{ErrataSource: spec.ErrataNone}
	switch src.Errata {
	case spec.ErrataNone:
	case "":
		if sameAPI(in.Data, spec.Embedded()) {
			opts.Errata, opts.ErrataSource = spec.EmbeddedErrata(), "shipped ("+spec.EmbeddedErrataName+")"
		}
	default:
		data, err := spec.ReadFile(src.Errata)
		if err != nil {
			return Input{}, Options{}, err
		}
		opts.Errata, opts.ErrataSource = data, src.Errata
	}
	return in, opts, nil
}

// sameAPI reports whether two specs have the same info.title and
// info.version (the shipped errata apply only to the spec they were
// written for).
func sameAPI(a, b []byte) bool {
	type info struct {
		Info struct {
			Title   string `yaml:"title"`
			Version string `yaml:"version"`
		} `yaml:"info"`
	}
	var x, y info
	if yaml.Unmarshal(a, &x) != nil || yaml.Unmarshal(b, &y) != nil {
		return false
	}
	return x.Info.Title != "" && x.Info == y.Info
}
