package speclint

import (
	"github.com/wabcheck/wabcheck/spec"
)

// Source selects a spec and errata the way the --vendor, --spec and
// --errata flags do: File empty means the vendor's embedded spec; Errata
// is an overlay path, spec.ErrataNone, or empty for the vendor's shipped
// errata when the spec is the one they were written for.
type Source struct {
	Embedded spec.Source
	File     string
	Errata   string
}

// Load reads and checks the spec (size bound, YAML, OpenAPI 3.x) and the
// errata overlay. Its errors are configuration errors naming the file.
// Unlike spec.Load it does not build a kin-openapi model, so a spec with
// dangling $refs can still be linted.
func Load(src Source) (Input, Options, error) {
	var in Input
	if src.File == "" {
		data, err := spec.Embedded(src.Embedded.Name)
		if err != nil {
			return Input{}, Options{}, err
		}
		in = Input{Path: src.Embedded.Name, Data: data}
	} else {
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
		if src.Embedded.Errata != "" && spec.SameAPI(in.Data, src.Embedded) {
			data, err := spec.Embedded(src.Embedded.Errata)
			if err != nil {
				return Input{}, Options{}, err
			}
			opts.Errata, opts.ErrataSource = data, "shipped ("+src.Embedded.Errata+")"
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
