package probe

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"time"
)

//go:embed probe.html.tmpl
var htmlTemplate string

var tmpl = template.Must(template.New("probe").Funcs(template.FuncMap{
	"dur":  func(d time.Duration) string { return d.Round(time.Millisecond).String() },
	"pct":  func(f float64) string { return fmt.Sprintf("%.1f%%", f) },
	"time": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
}).Parse(htmlTemplate))

// htmlView is what probe.html renders: the result grouped by operation,
// then check, with each check's findings.
type htmlView struct {
	R       *Result
	Passed  bool
	Ops     []opView
	ByCheck []checkCount
	Kinds   []kindCount
}

type opView struct {
	Name, Method, Path string
	Cases, Failed      int
	Checks             []checkView
}

type checkView struct {
	Count
	Findings []Finding
}

type checkCount struct {
	Check string
	Count int
}

type kindCount struct {
	Name  Kind
	Count int
}

// WriteHTML writes probe.html: one self-contained page (inline CSS and
// JS, no external URLs).
func WriteHTML(w io.Writer, r *Result) error {
	v := htmlView{R: r, Passed: r.Passed(), Ops: opViews(r)}
	for check, n := range r.FindingsByCheck() {
		v.ByCheck = append(v.ByCheck, checkCount{check, n})
	}
	sort.Slice(v.ByCheck, func(i, j int) bool { return v.ByCheck[i].Check < v.ByCheck[j].Check })
	kinds := map[Kind]int{}
	for _, c := range r.Cases {
		kinds[c.Kind]++
	}
	for _, k := range []Kind{Positive, Negative, Edge, Auth, Method, Linked} {
		if kinds[k] > 0 {
			v.Kinds = append(v.Kinds, kindCount{k, kinds[k]})
		}
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return fmt.Errorf("probe.html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// opViews groups counts and findings by operation (operations with
// findings first), then check.
func opViews(r *Result) []opView {
	index := map[string]int{}
	var ops []opView
	for _, c := range r.Counts {
		i, ok := index[c.Operation]
		if !ok {
			i = len(ops)
			index[c.Operation] = i
			ops = append(ops, opView{Name: c.Operation})
		}
		ops[i].Checks = append(ops[i].Checks, checkView{Count: c})
		ops[i].Cases += c.Cases
		ops[i].Failed += c.Failed
	}
	for _, f := range r.Findings {
		i, ok := index[f.Operation]
		if !ok {
			continue
		}
		ops[i].Method, ops[i].Path = f.Method, f.Path
		for j := range ops[i].Checks {
			if ops[i].Checks[j].Check == f.Check {
				ops[i].Checks[j].Findings = append(ops[i].Checks[j].Findings, f)
			}
		}
	}
	for i := range ops {
		for _, c := range r.Cases {
			if c.Operation == ops[i].Name && ops[i].Path == "" {
				ops[i].Method, ops[i].Path = c.op.method, c.op.path
				break
			}
		}
	}
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Failed > 0 && ops[j].Failed == 0 })
	return ops
}
