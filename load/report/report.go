package report

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/tsenart/vegeta/v12/lib/plot"

	"github.com/wabcheck/wabcheck/load/summary"
)

//go:embed report.html.tmpl
var reportFS embed.FS

var reportTmpl = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"dur": func(d time.Duration) string { return RoundDuration(d).String() },
	"pct": func(v float64) string { return strconv.FormatFloat(v*100, 'f', 2, 64) + "%" },
	"f1":  func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
}).ParseFS(reportFS, "report.html.tmpl"))

// maxPoints bounds the x axis of time charts; longer runs are binned.
const maxPoints = 240

// reportData is what the template renders.
type reportData struct {
	S      *summary.Summary
	Codes  []string
	Charts map[string]template.HTML
}

// WriteHTML renders the self-contained load.html.
func WriteHTML(s *summary.Summary, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("load.html: %w", err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	d := reportData{S: s, Codes: codesSorted(s.StatusCodes), Charts: charts(s)}
	if err := reportTmpl.Execute(w, d); err != nil {
		return fmt.Errorf("load.html: %w", err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("load.html: %w", err)
	}
	return f.Close()
}

// WritePlot streams dir/results.bin into vegeta's latency plot, plot.html.
func WritePlot(title, dir string) error {
	in, err := os.Open(filepath.Join(dir, "results.bin"))
	if err != nil {
		return fmt.Errorf("plot.html: %w", err)
	}
	defer in.Close()
	p := plot.New(plot.Title("wabcheck load: "+title), plot.Downsample(4000))
	dec := vegeta.DecoderFor(bufio.NewReaderSize(in, 256<<10))
	if dec != nil {
		for {
			var r vegeta.Result
			if err := dec.Decode(&r); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return fmt.Errorf("plot.html: decode results.bin: %w", err)
			}
			if err := p.Add(&r); err != nil {
				return fmt.Errorf("plot.html: %w", err)
			}
		}
	}
	p.Close()
	out, err := os.Create(filepath.Join(dir, "plot.html"))
	if err != nil {
		return fmt.Errorf("plot.html: %w", err)
	}
	defer out.Close()
	if _, err := p.WriteTo(out); err != nil {
		return fmt.Errorf("plot.html: %w", err)
	}
	return out.Close()
}

// binned groups the timeline into at most maxPoints bins of width
// timeline entries each.
func binned(tl []summary.Second) (bins []summary.Second, width int) {
	width = max(1, (len(tl)+maxPoints-1)/maxPoints)
	for i := 0; i < len(tl); i += width {
		var b summary.Second
		for _, s := range tl[i:min(i+width, len(tl))] {
			b.OK, b.Limited, b.Client, b.Server, b.Failed = b.OK+s.OK, b.Limited+s.Limited, b.Client+s.Client, b.Server+s.Server, b.Failed+s.Failed
			b.PlanRate += s.PlanRate / float64(width)
			for k := range b.LatencyP {
				b.LatencyP[k] = max(b.LatencyP[k], s.LatencyP[k])
			}
			b.LagP99 = max(b.LagP99, s.LagP99)
		}
		bins = append(bins, b)
	}
	return bins, width
}

func charts(s *summary.Summary) map[string]template.HTML {
	bins, n := binned(s.Timeline)
	width := n * int(s.Step()/time.Second) // seconds per bin
	xFmt := func(i int) string { return strconv.Itoa(i*width) + "s" }
	out := map[string]template.HTML{
		"throughput": throughputChart(bins, width, xFmt),
		"latency":    latencyChart(bins, xFmt),
		"histogram":  histogramChart(s.Histogram),
	}
	if s.ScheduleLag != nil {
		out["lag"] = lagChart(bins, xFmt)
	}
	if s.RateLimit.Checked {
		out["ratelimit"] = rateLimitChart(bins, width, xFmt, s.RateLimit)
	}
	if s.Delivery.Enabled {
		out["dlr_status"], out["dlr_latency"] = dlrCharts(&s.Delivery)
	}
	return out
}

func perSec(bins []summary.Second, width int, get func(*summary.Second) uint32) []float64 {
	out := make([]float64, len(bins))
	for i := range bins {
		out[i] = float64(get(&bins[i])) / float64(width)
	}
	return out
}

func rateFmt(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + "/s" }

func durFmt(v float64) string {
	return time.Duration(v * float64(time.Millisecond)).Round(10 * time.Microsecond).String()
}

func throughputChart(bins []summary.Second, width int, xFmt func(int) string) template.HTML {
	stack := []Series{
		{Name: "2xx/3xx", Color: "#2e9d57", Values: perSec(bins, width, func(s *summary.Second) uint32 { return s.OK })},
		{Name: "429", Color: "#e8902a", Values: perSec(bins, width, func(s *summary.Second) uint32 { return s.Limited })},
		{Name: "other 4xx", Color: "#8e5cc4", Values: perSec(bins, width, func(s *summary.Second) uint32 { return s.Client })},
		{Name: "5xx", Color: "#d23c3c", Values: perSec(bins, width, func(s *summary.Second) uint32 { return s.Server })},
		{Name: "no response", Color: "#777", Values: perSec(bins, width, func(s *summary.Second) uint32 { return s.Failed })},
	}
	plan := make([]float64, len(bins))
	total := make([]float64, len(bins))
	for i := range bins {
		plan[i] = bins[i].PlanRate
		total[i] = float64(bins[i].Requests()) / float64(width)
	}
	f := newFrame("Throughput by status (requests/s, by start second)", len(bins), maxOf(plan, total), rateFmt, xFmt)
	f.bars(stack)
	planned := Series{Name: "planned rate", Color: "#2a6fdb", Values: plan, Dashed: true}
	f.lines([]Series{planned})
	f.legend(append(stack, planned))
	return f.done()
}

func latencyChart(bins []summary.Second, xFmt func(int) string) template.HTML {
	names := []string{"p50", "p95", "p99"}
	colors := []string{"#2e9d57", "#e8902a", "#d23c3c"}
	var ss []Series
	for k := range names {
		v := make([]float64, len(bins))
		for i := range bins {
			v[i] = float64(bins[i].LatencyP[k]) / float64(time.Millisecond)
		}
		ss = append(ss, Series{Name: names[k], Color: colors[k], Values: v})
	}
	f := newFrame("Latency percentiles over time (per second, ±25% buckets)", len(bins), maxOf(ss[2].Values), durFmt, xFmt)
	f.lines(ss)
	f.legend(ss)
	return f.done()
}

func lagChart(bins []summary.Second, xFmt func(int) string) template.HTML {
	v := make([]float64, len(bins))
	for i := range bins {
		v[i] = float64(bins[i].LagP99) / float64(time.Millisecond)
	}
	s := Series{Name: "schedule lag p99", Color: "#8e5cc4", Values: v}
	f := newFrame("Schedule lag (how late hits started against the plan)", len(bins), maxOf(v), durFmt, xFmt)
	f.lines([]Series{s})
	f.legend([]Series{s})
	return f.done()
}

func histogramChart(h []summary.HistogramBucket) template.HTML {
	v := make([]float64, len(h))
	for i, b := range h {
		v[i] = float64(b.Count)
	}
	label := func(i int) string {
		if i >= len(h) {
			return ""
		}
		return "≥" + h[i].From.String()
	}
	f := newFrame("Latency histogram (requests per bucket)", len(h), maxOf(v), func(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) }, label)
	f.bars([]Series{{Name: "requests", Color: "#2a6fdb", Values: v}})
	return f.done()
}

func rateLimitChart(bins []summary.Second, width int, xFmt func(int) string, rl summary.RateLimitSummary) template.HTML {
	ref, label := rl.Reference(), fmt.Sprintf("X-RateLimit-Limit %d", rl.Advertised)
	if rl.Advertised == 0 {
		label = fmt.Sprintf("documented limit %d", rl.Documented)
	}
	offered := perSec(bins, width, (*summary.Second).Requests)
	ok := perSec(bins, width, func(s *summary.Second) uint32 { return s.OK })
	limited := perSec(bins, width, func(s *summary.Second) uint32 { return s.Limited })
	ss := []Series{{Name: "offered", Color: "#2a6fdb", Values: offered}, {Name: "accepted 2xx", Color: "#2e9d57", Values: ok},
		{Name: "429", Color: "#e8902a", Values: limited}}
	f := newFrame("429 onset against the advertised or documented limit (requests/s)", len(bins), maxOf(offered, []float64{float64(ref)}), rateFmt, xFmt)
	f.lines(ss)
	if ref > 0 {
		f.hline(float64(ref), label, "#d23c3c")
	}
	f.legend(ss)
	return f.done()
}

func dlrCharts(d *summary.DeliverySummary) (template.HTML, template.HTML) {
	var names []string
	var vals []float64
	for _, k := range slices.Sorted(maps.Keys(d.ByStatus)) {
		names, vals = append(names, k), append(vals, float64(d.ByStatus[k]))
	}
	names, vals = append(names, "no terminal"), append(vals, float64(d.Missing))
	cnt := func(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) }
	f := newFrame("DLRs by status (callbacks) and messages with no terminal status", len(names), maxOf(vals), cnt,
		func(i int) string { return names[min(i, len(names)-1)] })
	f.bars([]Series{{Name: "DLRs", Color: "#2a6fdb", Values: vals}})
	status := f.done()
	pv := []float64{ms(d.P50), ms(d.P90), ms(d.P95), ms(d.P99), ms(d.Max)}
	pn := []string{"p50", "p90", "p95", "p99", "max"}
	g := newFrame("Send → terminal DLR latency percentiles", len(pv), maxOf(pv), durFmt, func(i int) string { return pn[min(i, len(pn)-1)] })
	g.bars([]Series{{Name: "latency", Color: "#2e9d57", Values: pv}})
	return status, g.done()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// RoundDuration keeps three significant figures or so: 4.166666667s reads
// as 4.17s, 833.333333ms as 833ms, 3.35ms as 3.35ms.
func RoundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// codesSorted returns the status codes in numeric order.
func codesSorted(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i])
		b, _ := strconv.Atoi(out[j])
		return a < b
	})
	return out
}
