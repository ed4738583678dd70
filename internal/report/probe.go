package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wabcheck/wabcheck/internal/validate"
)

// ProbeTool is the summary.json "tool" of a `wabcheck probe` run, whose
// summary carries a coverage like a conform run's.
const ProbeTool = "wabcheck probe"

// Hit is one answer a run got, for coverage: the operation answered
// Status; Invalid when the answer broke the spec. A hit with Callback set
// ("status" or "reply") is a callback received instead.
type Hit struct {
	Operation, Method, Path string
	Status                  int
	Invalid                 bool
	Callback                string
}

// CoverageOf counts hits into a copy of universe, exactly as
// ComputeCoverage counts a conform run's exchanges.
func CoverageOf(universe []Cell, hits []Hit) Coverage {
	sc := &Scenario{Exchanges: make([]Exchange, 0, len(hits))}
	for _, h := range hits {
		if h.Callback != "" {
			cb := Callback{Kind: h.Callback}
			if h.Invalid {
				cb.Findings = []validate.Finding{{Code: "invalid"}}
			}
			sc.Messages = append(sc.Messages, Message{Callbacks: []Callback{cb}})
			continue
		}
		x := Exchange{Operation: h.Operation, Method: h.Method, URL: h.Path, Status: h.Status}
		if h.Invalid {
			x.Findings = []validate.Finding{{Code: "invalid"}}
		}
		sc.Exchanges = append(sc.Exchanges, x)
	}
	return ComputeCoverage(universe, &Run{Features: []*Feature{{Scenarios: []*Scenario{sc}}}})
}

// RunCoverage is the coverage part of a conform or probe run folder.
type RunCoverage struct {
	Dir      string   `json:"-"`
	Tool     string   `json:"tool"`
	Target   string   `json:"target"`
	Spec     string   `json:"spec"`
	Errata   string   `json:"errata"`
	Coverage Coverage `json:"coverage"`
}

// ReadCoverage reads the coverage of a conform or probe run folder's
// summary.json.
func ReadCoverage(dir string) (RunCoverage, error) {
	rc := RunCoverage{Dir: dir}
	path := filepath.Join(dir, "summary.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return rc, fmt.Errorf("--report %s: %w", dir, err)
	}
	if err := json.Unmarshal(data, &rc); err != nil {
		return rc, fmt.Errorf("--report %s: summary.json: %w", dir, err)
	}
	if rc.Tool != Tool && rc.Tool != ProbeTool {
		what := "no \"tool\" field"
		if rc.Tool != "" {
			what = fmt.Sprintf("a %q run", rc.Tool)
		}
		return rc, fmt.Errorf("--report %s: summary.json is from %s, not a wabcheck conform run or a wabcheck probe run; point --report at a conform or probe run folder", dir, what)
	}
	return rc, nil
}

// MergeCoverage adds up the cells of several runs of the same spec: a cell
// is seen when any run saw it.
func MergeCoverage(covs ...Coverage) Coverage {
	var cells []Cell
	index := map[string]int{}
	undeclared := map[string]*Cell{}
	for _, cov := range covs {
		for _, c := range cov.Cells {
			i, ok := index[c.Key()]
			if !ok {
				index[c.Key()] = len(cells)
				cells = append(cells, c)
				continue
			}
			cells[i].Seen += c.Seen
			cells[i].Invalid += c.Invalid
		}
		for _, c := range cov.Undeclared {
			if u := undeclared[c.Key()]; u != nil {
				u.Seen += c.Seen
				u.Invalid += c.Invalid
				continue
			}
			cc := c
			undeclared[c.Key()] = &cc
		}
	}
	sortCells(cells)
	return finishCoverage(cells, undeclared)
}
