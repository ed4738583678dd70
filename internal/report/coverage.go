package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/spec"
)

// Cell is one thing a run can exercise: an operation's declared response
// (status code, or a range such as 4XX counted once), or a callback kind.
type Cell struct {
	Operation string `json:"operation"` // operationId, or "callback:status" / "callback:reply"
	Method    string `json:"method,omitempty"`
	Path      string `json:"path,omitempty"`
	Status    string `json:"status"` // "202", "4XX", "default"; "callback" for callbacks
	// Seen counts the responses or callbacks that hit the cell; Invalid
	// those of them with validation findings.
	Seen    int `json:"seen"`
	Invalid int `json:"invalid"`
	// Declared is false for a status the spec does not declare (seen
	// anyway: a finding, not coverage).
	Declared bool `json:"declared"`
}

// Key names the cell on one line: "PostMessages 202", "callback:status".
func (c Cell) Key() string {
	if c.Status == "callback" {
		return c.Operation
	}
	return c.Operation + " " + c.Status
}

// Coverage says which cells of the universe a run exercised.
type Coverage struct {
	Cells      []Cell  `json:"cells"`
	Undeclared []Cell  `json:"undeclared,omitempty"`
	Seen       int     `json:"seen"`
	Total      int     `json:"total"`
	Percent    float64 `json:"percent"`
}

// Missing lists the cells never exercised.
func (c Coverage) Missing() []Cell {
	var out []Cell
	for _, cell := range c.Cells {
		if cell.Seen == 0 {
			out = append(out, cell)
		}
	}
	return out
}

// Universe lists every operation × declared response status of the spec,
// plus one cell per callback kind of the dialect the spec declares
// (kinds: "status", "reply" for Modica).
func Universe(doc *spec.Doc, kinds []string) []Cell {
	if doc == nil || doc.T == nil || doc.T.Paths == nil {
		return nil
	}
	var cells []Cell
	for _, path := range doc.T.Paths.InMatchingOrder() {
		item := doc.T.Paths.Value(path)
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			if op.Responses != nil {
				for code := range op.Responses.Map() {
					cells = append(cells, Cell{Operation: opName(op.OperationID, method, path), Method: method, Path: path, Status: strings.ToUpper(code), Declared: true})
				}
			}
		}
	}
	for _, k := range kinds {
		cells = append(cells, Cell{Operation: "callback:" + k, Status: "callback", Declared: true})
	}
	sortCells(cells)
	return cells
}

func opName(id, method, path string) string {
	if id != "" {
		return id
	}
	return method + " " + path
}

func sortCells(cells []Cell) {
	sort.Slice(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		if (a.Status == "callback") != (b.Status == "callback") {
			return b.Status == "callback"
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Method != b.Method {
			return a.Method < b.Method
		}
		return a.Status < b.Status
	})
}

// ComputeCoverage counts the run's exchanges and callbacks into a copy of
// universe.
func ComputeCoverage(universe []Cell, r *Run) Coverage {
	cells := append([]Cell(nil), universe...)
	index := map[string]int{}
	for i, c := range cells {
		index[c.Key()] = i
	}
	undeclared := map[string]*Cell{}
	hit := func(op, method, path string, status int, invalid bool) {
		key, ok := matchStatus(index, op, status)
		var c *Cell
		if ok {
			c = &cells[index[key]]
		} else {
			k := op + " " + strconv.Itoa(status)
			if undeclared[k] == nil {
				undeclared[k] = &Cell{Operation: op, Method: method, Path: specPath(cells, op, path), Status: strconv.Itoa(status)}
			}
			c = undeclared[k]
		}
		c.Seen++
		if invalid {
			c.Invalid++
		}
	}
	cbHit := func(cb Callback) {
		if i, ok := index["callback:"+cb.Kind]; ok {
			cells[i].Seen++
			if len(cb.Findings) > 0 {
				cells[i].Invalid++
			}
		}
	}
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			for _, x := range s.Exchanges {
				if x.Operation != "" && x.Status != 0 {
					hit(x.Operation, x.Method, pathOnly(x.URL), x.Status, len(x.Findings) > 0)
				}
			}
			for _, m := range s.Messages {
				for _, cb := range m.Callbacks {
					cbHit(cb)
				}
			}
			for _, cb := range s.Replies {
				cbHit(cb)
			}
		}
	}
	return finishCoverage(cells, undeclared)
}

func finishCoverage(cells []Cell, undeclared map[string]*Cell) Coverage {
	cov := Coverage{Cells: cells, Total: len(cells)}
	for _, c := range cells {
		if c.Seen > 0 {
			cov.Seen++
		}
	}
	for _, c := range undeclared {
		cov.Undeclared = append(cov.Undeclared, *c)
	}
	sortCells(cov.Undeclared)
	if cov.Total > 0 {
		cov.Percent = float64(int(1000*float64(cov.Seen)/float64(cov.Total))) / 10
	}
	return cov
}

// matchStatus finds the declared cell a status falls in: the exact code,
// then its range (4XX), then default.
func matchStatus(index map[string]int, op string, status int) (string, bool) {
	for _, k := range []string{strconv.Itoa(status), fmt.Sprintf("%dXX", status/100), "DEFAULT"} {
		if _, ok := index[op+" "+k]; ok {
			return op + " " + k, true
		}
	}
	return "", false
}

// specPath is the spec's path of operation op (as in the universe), else
// the request path.
func specPath(cells []Cell, op, fallback string) string {
	for _, c := range cells {
		if c.Operation == op && c.Path != "" {
			return c.Path
		}
	}
	return fallback
}

func pathOnly(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u
}
