package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var htmlTemplate string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"dur":      fmtDur,
	"headers":  fmtHeaders,
	"pretty":   prettyBody,
	"findings": findingLines,
	"lower":    func(s Status) string { return strings.ToLower(string(s)) },
	"inc":      func(i int) int { return i + 1 },
	"pct":      func(f float64) string { return fmt.Sprintf("%.1f%%", f) },
	"time":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"join":     strings.Join,
}).Parse(htmlTemplate))

// htmlView is what the template renders.
type htmlView struct {
	Run         *Run
	Scenarios   Counts
	Steps       Counts
	Passed      bool
	Features    []featureView
	Findings    []codeCount
	Warnings    []codeCount
	Missing     []Cell
	CoveredPart []Cell
}

type featureView struct {
	*Feature
	Counts    Counts
	Scenarios []scenarioView
}

type scenarioView struct {
	*Scenario
	StepViews []stepView
}

type stepView struct {
	*Step
	Exchanges []Exchange
}

type codeCount struct {
	Code  string
	Count int
}

// WriteHTML writes report.html: one self-contained page (inline CSS and
// JS, no external URLs).
func WriteHTML(w io.Writer, r *Run) error {
	v := htmlView{Run: r, Scenarios: r.ScenarioCounts(), Steps: r.StepCounts(), Passed: r.Passed(),
		Findings: sortedCounts(r.FindingsByCode()), Warnings: sortedCounts(NewSummary(r).WarningsByCode),
		Missing: r.Coverage.Missing()}
	for _, c := range r.Coverage.Cells {
		if c.Seen > 0 {
			v.CoveredPart = append(v.CoveredPart, c)
		}
	}
	for _, f := range r.Features {
		v.Features = append(v.Features, newFeatureView(f))
	}
	sort.SliceStable(v.Features, func(i, j int) bool { return v.Features[i].Counts.Failed > v.Features[j].Counts.Failed })
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return fmt.Errorf("render report.html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func newFeatureView(f *Feature) featureView {
	fv := featureView{Feature: f}
	for _, s := range f.Scenarios {
		fv.Counts.add(s.Status)
		sv := scenarioView{Scenario: s}
		for i, st := range s.Steps {
			stv := stepView{Step: st}
			for _, x := range s.Exchanges {
				if x.Step == i {
					stv.Exchanges = append(stv.Exchanges, x)
				}
			}
			sv.StepViews = append(sv.StepViews, stv)
		}
		fv.Scenarios = append(fv.Scenarios, sv)
	}
	rank := map[Status]int{Failed: 0, Undefined: 1, Pending: 1, Passed: 2, Skipped: 3}
	sort.SliceStable(fv.Scenarios, func(i, j int) bool { return rank[fv.Scenarios[i].Status] < rank[fv.Scenarios[j].Status] })
	return fv
}

func sortedCounts(m map[string]int) []codeCount {
	var out []codeCount
	for k, n := range m {
		out = append(out, codeCount{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || (out[i].Count == out[j].Count && out[i].Code < out[j].Code)
	})
	return out
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

func fmtHeaders(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	return b.String()
}

// prettyBody indents JSON bodies; others are shown as they are.
func prettyBody(s string) string {
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(s), "", "  ") == nil {
		return buf.String()
	}
	return strings.ToValidUTF8(s, "�")
}
