package callbacks

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// TestLatencyHistogramWithinStatedError: every percentile is the exact
// nearest-rank value or at most LatencyRelativeError above it, over
// values from microseconds to hours; count, mean and max are exact.
func TestLatencyHistogramWithinStatedError(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	h := NewLatencyHistogram()
	vals := make([]time.Duration, 20_000)
	var sum float64
	for i := range vals {
		vals[i] = time.Duration(math.Exp(rng.Float64() * math.Log(float64(3*time.Hour)))) // log-uniform 1 ns .. 3 h
		h.Record(vals[i])
		sum += float64(vals[i])
	}
	slices.Sort(vals)
	for _, q := range []float64{0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999} {
		exact := vals[int(math.Ceil(q*float64(len(vals))))-1]
		if got := h.Quantile(q); !withinError(got, exact) {
			t.Errorf("q%v: %v, exact %v", q, got, exact)
		}
	}
	l := h.Latency()
	if l.Count != len(vals) || l.Max != vals[len(vals)-1] || l.Mean != time.Duration(sum/float64(len(vals))) {
		t.Errorf("count %d max %v mean %v; want %d %v %v", l.Count, l.Max, l.Mean, len(vals), vals[len(vals)-1], time.Duration(sum/float64(len(vals))))
	}
}

// TestLatencyHistogramOverRange: a value beyond 24 h counts at 24 h in
// the percentiles, exactly in the max, and is counted.
func TestLatencyHistogramOverRange(t *testing.T) {
	h := NewLatencyHistogram()
	h.Record(-time.Second)
	h.Record(48 * time.Hour)
	l := h.Latency()
	if l.OverRange != 1 || l.Max != 48*time.Hour || h.Quantile(0.5) != 0 || !withinError(h.Quantile(0.99), 24*time.Hour) {
		t.Errorf("over range %d max %v p50 %v p99 %v", l.OverRange, l.Max, h.Quantile(0.5), h.Quantile(0.99))
	}
}

// TestLatencyFileRoundTrip: what WriteLatencyFile writes reads back to the
// same distribution, and merging equals recording everything in one.
func TestLatencyFileRoundTrip(t *testing.T) {
	a, b, one := NewLatencyHistogram(), NewLatencyHistogram(), NewLatencyHistogram()
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i*i) * time.Microsecond
		one.Record(d)
		if i%3 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	path := filepath.Join(t.TempDir(), LatencyFile)
	if err := WriteLatencyFile(path, a); err != nil {
		t.Fatal(err)
	}
	back, err := ReadLatencyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Latency() != a.Latency() {
		t.Fatalf("read back %+v, wrote %+v", back.Latency(), a.Latency())
	}
	if err := back.Merge(b); err != nil {
		t.Fatal(err)
	}
	if back.Latency() != one.Latency() {
		t.Errorf("merged %+v, one histogram %+v", back.Latency(), one.Latency())
	}
}

// TestLatencyFileRefusesOtherGeometry: a histogram of another geometry is
// refused before it is decoded (a wide one would allocate ~50 MB).
func TestLatencyFileRefusesOtherGeometry(t *testing.T) {
	wide := hdr.New(1, math.MaxInt64/2, 5)
	enc, err := wide.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		t.Fatal(err)
	}
	mine, _ := json.Marshal(NewLatencyHistogram())
	var j map[string]any
	_ = json.Unmarshal(mine, &j)
	j["hdr_v2_compressed"] = string(enc)
	b, _ := json.Marshal(j)
	var l LatencyHistogram
	if err := l.UnmarshalJSON(b); err == nil || !strings.Contains(err.Error(), "geometry") {
		t.Errorf("a wide geometry was accepted: %v", err)
	}
}

// FuzzLatencyFile: arbitrary bytes as a LatencyFile never panic, and what
// is accepted encodes and decodes to the same distribution.
func FuzzLatencyFile(f *testing.F) {
	h := NewLatencyHistogram()
	for _, d := range []time.Duration{time.Millisecond, time.Second, time.Hour} {
		h.Record(d)
	}
	good, _ := h.MarshalJSON()
	f.Add(good)
	f.Add([]byte(`{"format":"wabcheck-dlr-latency","version":1,"unit":"ns","lowest_ns":1,"highest_ns":86400000000000,"significant_digits":3,"hdr_v2_compressed":"HISTFAAAAB"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var l LatencyHistogram
		if l.UnmarshalJSON(b) != nil {
			return
		}
		again, err := l.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var l2 LatencyHistogram
		if err := l2.UnmarshalJSON(again); err != nil || l2.Latency() != l.Latency() {
			t.Fatalf("round trip: %v, %+v vs %+v", err, l2.Latency(), l.Latency())
		}
	})
}
