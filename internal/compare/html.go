package compare

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/wabcheck/wabcheck/internal/report"
)

//go:embed compare.html.tmpl
var htmlTemplate string

var tmpl = template.Must(template.New("compare").Funcs(template.FuncMap{
	"time":    timeText,
	"verdict": verdictText,
	"dash":    orDash,
	"status":  statusClass,
	"outcome": outcomeText,
	"variant": func(c *Comparison, s Source) string { return variant(c, s) },
	"lower":   strings.ToLower,
}).Parse(htmlTemplate))

// htmlView is what the template renders.
type htmlView struct {
	*Comparison
	Runs           []Source
	ConformHeads   []string
	LoadHeads      []string
	ConformMetrics []Metric
	LoadMetrics    []Metric
	RuleNote       string
}

// WriteHTML writes compare.html: one self-contained page (inline CSS and
// JS, no external URLs) in the look of report.html.
func WriteHTML(w io.Writer, c *Comparison) error {
	v := htmlView{Comparison: c, Runs: c.Runs(), ConformHeads: headers(c.Conform), LoadHeads: headers(c.Load)}
	if len(c.Conform) > 0 {
		v.ConformMetrics = c.ConformMetrics()
	}
	if len(c.Load) > 0 {
		v.LoadMetrics = c.LoadMetrics()
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return fmt.Errorf("render compare.html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// statusClass is the CSS class of an outcome: its status, or "missing".
func statusClass(o *Outcome) string {
	if o == nil {
		return "missing"
	}
	if o.Status == report.Undefined || o.Status == report.Pending {
		return "undefined"
	}
	return string(o.Status)
}
