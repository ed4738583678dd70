package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Series is one named, coloured row of values for a chart.
type Series struct {
	Name   string
	Color  string
	Values []float64
	Dashed bool
}

// chart geometry (viewBox units).
const (
	chartW, chartH         = 760.0, 260.0
	padL, padR, padT, padB = 64.0, 16.0, 46.0, 36.0
)

type frame struct {
	b     strings.Builder
	n     int // points on the x axis
	yMax  float64
	yFmt  func(float64) string
	xFmt  func(int) string
	title string
}

func newFrame(title string, n int, yMax float64, yFmt func(float64) string, xFmt func(int) string) *frame {
	if yMax <= 0 || math.IsNaN(yMax) {
		yMax = 1
	}
	f := &frame{n: max(n, 1), yMax: niceCeil(yMax), yFmt: yFmt, xFmt: xFmt, title: title}
	fmt.Fprintf(&f.b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, chartW, chartH, template.HTMLEscapeString(title))
	fmt.Fprintf(&f.b, `<text x="%.0f" y="16" class="t">%s</text>`, padL, template.HTMLEscapeString(title))
	f.axes()
	return f
}

func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func (f *frame) x(i float64) float64 {
	return padL + (chartW-padL-padR)*i/float64(f.n)
}

func (f *frame) y(v float64) float64 {
	return chartH - padB - (chartH-padT-padB)*math.Min(v/f.yMax, 1)
}

func (f *frame) axes() {
	for k := 0; k <= 4; k++ {
		v := f.yMax * float64(k) / 4
		y := f.y(v)
		fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="g"/>`, padL, y, chartW-padR, y)
		fmt.Fprintf(&f.b, `<text x="%.1f" y="%.1f" class="yl">%s</text>`, padL-6, y+4, template.HTMLEscapeString(f.yFmt(v)))
	}
	step := max(1, f.n/8)
	for i := 0; i < f.n; i += step {
		fmt.Fprintf(&f.b, `<text x="%.1f" y="%.1f" class="xl">%s</text>`, f.x(float64(i)+0.5), chartH-padB+16, template.HTMLEscapeString(f.xFmt(i)))
	}
}

// bars draws stacked bars, bottom series first.
func (f *frame) bars(stack []Series) {
	w := (chartW - padL - padR) / float64(f.n)
	for i := 0; i < f.n; i++ {
		base := 0.0
		for _, s := range stack {
			if i >= len(s.Values) || s.Values[i] <= 0 {
				continue
			}
			top := base + s.Values[i]
			fmt.Fprintf(&f.b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s"><title>%s: %s</title></rect>`,
				f.x(float64(i))+w*0.1, f.y(top), w*0.8, f.y(base)-f.y(top), s.Color, s.Name, f.yFmt(s.Values[i]))
			base = top
		}
	}
}

// lines draws each series as a polyline through the bar centres.
func (f *frame) lines(ss []Series) {
	for _, s := range ss {
		if len(s.Values) == 0 {
			continue
		}
		var pts []string
		for i, v := range s.Values {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", f.x(float64(i)+0.5), f.y(v)))
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&f.b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s><title>%s</title></polyline>`, strings.Join(pts, " "), s.Color, dash, s.Name)
	}
}

// hline draws a labelled horizontal reference line.
func (f *frame) hline(v float64, label, color string) {
	y := f.y(v)
	fmt.Fprintf(&f.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2" stroke-dasharray="4 3"/>`, padL, y, chartW-padR, y, color)
	fmt.Fprintf(&f.b, `<text x="%.1f" y="%.1f" class="hl" fill="%s">%s</text>`, chartW-padR-4, y-4, color, template.HTMLEscapeString(label))
}

func (f *frame) legend(ss []Series) {
	x := padL
	for _, s := range ss {
		fmt.Fprintf(&f.b, `<rect x="%.0f" y="25" width="10" height="10" fill="%s"/><text x="%.0f" y="34" class="lg">%s</text>`, x, s.Color, x+14, template.HTMLEscapeString(s.Name))
		x += 24 + 7*float64(len(s.Name))
	}
}

func (f *frame) done() template.HTML {
	f.b.WriteString(`</svg>`)
	return template.HTML(f.b.String()) //nolint:gosec // built from escaped parts above
}

func maxOf(ss ...[]float64) float64 {
	m := 0.0
	for _, s := range ss {
		for _, v := range s {
			m = math.Max(m, v)
		}
	}
	return m
}
