package spec

import (
	"fmt"
	"strings"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/overlay"
	"gopkg.in/yaml.v3"
)

// Erratum is one overlay action: a correction to the published spec.
type Erratum struct {
	Target      string `json:"target"`
	Description string `json:"description"`
	Remove      bool   `json:"remove,omitempty"`
}

// ErrataReport says which errata a Doc was built with; every report shows it.
type ErrataReport struct {
	// Source is "shipped (modica-wab-v1.2.0.errata.yaml)", a file path, or
	// "none".
	Source string `json:"source"`
	// Applied lists the actions applied, in order.
	Applied []Erratum `json:"applied,omitempty"`
	// Unmatched lists actions whose target matched nothing in this spec.
	Unmatched []Erratum `json:"unmatched,omitempty"`
}

// Strict reports whether the spec was used exactly as published.
func (r ErrataReport) Strict() bool { return len(r.Applied) == 0 }

// Summary is a one-line description for report headers.
func (r ErrataReport) Summary() string {
	if r.Source == ErrataNone {
		return "none (strict: spec checked exactly as published)"
	}
	s := fmt.Sprintf("%s: %d corrections applied", r.Source, len(r.Applied))
	if n := len(r.Unmatched); n > 0 {
		s += fmt.Sprintf(", %d not applicable to this spec", n)
	}
	return s
}

func applyErrata(path string, published []byte, opts Options) ([]byte, ErrataReport, error) {
	src, data := opts.Errata, []byte(nil)
	switch opts.Errata {
	case ErrataNone:
		return published, ErrataReport{Source: ErrataNone}, nil
	case "":
		if opts.Source.Errata == "" || !SameAPI(published, opts.Source) {
			return published, ErrataReport{Source: ErrataNone}, nil
		}
		var err error
		if data, err = Embedded(opts.Source.Errata); err != nil {
			return nil, ErrataReport{}, err
		}
		src = "shipped (" + opts.Source.Errata + ")"
	default:
		var err error
		if data, err = ReadFile(opts.Errata); err != nil {
			return nil, ErrataReport{}, err
		}
	}
	return ApplyOverlay(path, published, src, data)
}

// ApplyOverlay applies an OpenAPI Overlay 1.0 document to spec bytes and
// reports each action as applied or unmatched.
func ApplyOverlay(specPath string, spec []byte, overlaySrc string, overlayData []byte) ([]byte, ErrataReport, error) {
	report := ErrataReport{Source: overlaySrc}
	name := strings.TrimSuffix(strings.TrimPrefix(overlaySrc, "shipped ("), ")")
	if err := checkOverlay(overlayData); err != nil {
		return nil, report, fmt.Errorf("errata %s: not an OpenAPI Overlay 1.0 document: %w", name, err)
	}
	ov, err := libopenapi.NewOverlayDocument(overlayData)
	if err != nil {
		return nil, report, fmt.Errorf("errata %s: not an OpenAPI Overlay 1.0 document: %s", name, oneLine(err.Error()))
	}
	res, err := overlay.Apply(spec, ov)
	if err != nil {
		return nil, report, fmt.Errorf("errata %s on %s: %s", name, specPath, oneLine(err.Error()))
	}
	unmatched := map[string]bool{}
	for _, w := range res.Warnings {
		if w != nil {
			unmatched[w.Target] = true
		}
	}
	for _, a := range ov.Actions {
		e := Erratum{Target: a.Target, Description: oneLine(a.Description), Remove: a.Remove}
		if unmatched[a.Target] {
			report.Unmatched = append(report.Unmatched, e)
		} else {
			report.Applied = append(report.Applied, e)
		}
	}
	return res.Bytes, report, nil
}

// SameAPI reports whether data is a spec with src's info.title and
// info.version: the one src's errata were written for.
func SameAPI(data []byte, src Source) bool {
	var top struct {
		Info struct {
			Title   string `yaml:"title"`
			Version string `yaml:"version"`
		} `yaml:"info"`
	}
	if err := yaml.Unmarshal(data, &top); err != nil {
		return false
	}
	return src.Title != "" && top.Info.Title == src.Title && top.Info.Version == src.Version
}

// checkOverlay gives a precise reason when a file is not an overlay at all,
// before the overlay engine reports something vaguer.
func checkOverlay(data []byte) error {
	var top map[string]any
	if err := yaml.Unmarshal(data, &top); err != nil {
		return fmt.Errorf("not valid YAML: %s", oneLine(err.Error()))
	}
	v, ok := top["overlay"]
	if !ok {
		return fmt.Errorf("no top-level `overlay` field")
	}
	if s := fmt.Sprint(v); !strings.HasPrefix(s, "1.") {
		return fmt.Errorf("overlay version %q is not 1.x", s)
	}
	if acts, ok := top["actions"].([]any); !ok || len(acts) == 0 {
		return fmt.Errorf("no `actions` list")
	}
	return nil
}
