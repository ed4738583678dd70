package callbacks

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// The receipt-latency histogram's geometry: 1 ns to 24 h at three
// significant decimal digits. Every value is kept in a bucket no wider than
// 1/1024 of it, so a reported percentile is at most LatencyRelativeError
// above the exact (nearest-rank) one; values up to 2,047 ns are exact.
const (
	latencyLowest  = 1
	latencyHighest = int64(24 * time.Hour)
	latencyDigits  = 3
	// LatencyRelativeError bounds how far a histogram percentile may lie
	// above the exact percentile of the recorded values, relative to it.
	LatencyRelativeError = 1.0 / 1024
)

// LatencyFile is the name of the receipt-latency histogram a load run
// writes next to results.bin, and LatencyFormat/LatencyVersion its format
// (see LatencyHistogram.MarshalJSON).
const (
	LatencyFile    = "dlr-latency.json"
	LatencyFormat  = "wabcheck-dlr-latency"
	LatencyVersion = 1
)

// maxLatencyFile bounds the bytes ReadLatencyFile reads: a full histogram
// of this geometry encodes to well under 1 MiB.
const maxLatencyFile = 4 << 20

// LatencyHistogram is a mergeable distribution of durations (send → first
// final DLR): an HdrHistogram of fixed geometry plus the exact count, sum,
// minimum and maximum. Memory is fixed (about 300 KB) however many values
// are recorded; merging adds bucket counts, so the percentiles of merged
// histograms are those of one histogram over all the values. Not safe for
// concurrent use.
type LatencyHistogram struct {
	h        *hdr.Histogram
	sum      float64 // nanoseconds; float64 so that hours of runs cannot overflow
	min, max int64
	over     int64 // values above the range, recorded as its highest value
}

// NewLatencyHistogram returns an empty histogram.
func NewLatencyHistogram() *LatencyHistogram {
	return &LatencyHistogram{h: hdr.New(latencyLowest, latencyHighest, latencyDigits)}
}

// Record adds one duration; negative durations count as 0.
func (l *LatencyHistogram) Record(d time.Duration) {
	v := max(int64(d), 0)
	if l.h.TotalCount() == 0 || v < l.min {
		l.min = v
	}
	l.max = max(l.max, v)
	l.sum += float64(v)
	if v > latencyHighest {
		l.over++
		v = latencyHighest
	}
	_ = l.h.RecordValue(v) // in range by construction
}

// Count is the number of recorded values.
func (l *LatencyHistogram) Count() int64 { return l.h.TotalCount() }

// Merge adds o's values to l.
func (l *LatencyHistogram) Merge(o *LatencyHistogram) error {
	if o.Count() == 0 {
		return nil
	}
	if l.Count() == 0 || o.min < l.min {
		l.min = o.min
	}
	l.max = max(l.max, o.max)
	l.sum += o.sum
	l.over += o.over
	if dropped := l.h.Merge(o.h); dropped != 0 {
		return fmt.Errorf("merge latency histograms: %d values outside the range", dropped)
	}
	return nil
}

// Quantile returns the q-quantile (0 < q ≤ 1): at most LatencyRelativeError
// above the exact nearest-rank value; the exact maximum for q = 1.
func (l *LatencyHistogram) Quantile(q float64) time.Duration {
	if l.Count() == 0 {
		return 0
	}
	if q >= 1 {
		return time.Duration(l.max)
	}
	// HdrHistogram ranks by round(q·n); nearest rank is ceil(q·n). Asking
	// for the percentile whose rounded rank is ceil(q·n) gives nearest rank.
	n := float64(l.Count())
	rank := max(math.Ceil(q*n), 1)
	return time.Duration(min(l.h.ValueAtQuantile((rank-0.25)/n*100), l.max))
}

// Latency summarises the histogram.
func (l *LatencyHistogram) Latency() Latency {
	n := l.Count()
	if n == 0 {
		return Latency{}
	}
	return Latency{Count: int(n), Mean: time.Duration(l.sum / float64(n)), P50: l.Quantile(0.50), P90: l.Quantile(0.90),
		P95: l.Quantile(0.95), P99: l.Quantile(0.99), Max: time.Duration(l.max), OverRange: int(l.over),
		RelativeError: LatencyRelativeError}
}

// latencyJSON is the file format (LatencyFormat, version 1): the exact
// count, sum, minimum and maximum in nanoseconds, the geometry, and the
// histogram in HdrHistogram's standard V2 compressed encoding (base64), which
// HdrHistogram tools in other languages read too.
type latencyJSON struct {
	Format       string  `json:"format"`
	Version      int     `json:"version"`
	Unit         string  `json:"unit"`
	LowestNS     int64   `json:"lowest_ns"`
	HighestNS    int64   `json:"highest_ns"`
	Significant  int     `json:"significant_digits"`
	Count        int64   `json:"count"`
	SumNS        float64 `json:"sum_ns"`
	MinNS        int64   `json:"min_ns"`
	MaxNS        int64   `json:"max_ns"`
	OverRange    int64   `json:"over_range"`
	HdrHistogram string  `json:"hdr_v2_compressed"`
}

// MarshalJSON encodes l in the LatencyFile format.
func (l *LatencyHistogram) MarshalJSON() ([]byte, error) {
	enc, err := l.h.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		return nil, fmt.Errorf("encode latency histogram: %w", err)
	}
	return json.Marshal(latencyJSON{Format: LatencyFormat, Version: LatencyVersion, Unit: "ns", LowestNS: latencyLowest,
		HighestNS: latencyHighest, Significant: latencyDigits, Count: l.Count(), SumNS: l.sum, MinNS: l.min, MaxNS: l.max,
		OverRange: l.over, HdrHistogram: string(enc)})
}

// UnmarshalJSON decodes the LatencyFile format; a file of another format,
// version or geometry is an error.
func (l *LatencyHistogram) UnmarshalJSON(b []byte) error {
	var j latencyJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	switch {
	case j.Format != LatencyFormat:
		return fmt.Errorf("format %q, want %q", j.Format, LatencyFormat)
	case j.Version != LatencyVersion:
		return fmt.Errorf("%s version %d, this wabcheck reads version %d", LatencyFormat, j.Version, LatencyVersion)
	case j.Unit != "ns" || j.LowestNS != latencyLowest || j.HighestNS != latencyHighest || j.Significant != latencyDigits:
		return fmt.Errorf("histogram geometry %s %d..%d at %d digits, want ns %d..%d at %d", j.Unit, j.LowestNS, j.HighestNS,
			j.Significant, latencyLowest, latencyHighest, latencyDigits)
	}
	if err := checkGeometry(j.HdrHistogram); err != nil {
		return fmt.Errorf("hdr_v2_compressed: %w", err)
	}
	h, err := hdr.Decode([]byte(j.HdrHistogram))
	if err != nil {
		return fmt.Errorf("hdr_v2_compressed: %w", err)
	}
	if h.LowestTrackableValue() != latencyLowest || h.HighestTrackableValue() < latencyHighest || h.SignificantFigures() != latencyDigits {
		return errors.New("hdr_v2_compressed: geometry differs from the declared one")
	}
	if h.TotalCount() != j.Count || j.MinNS < 0 || j.MaxNS < j.MinNS || j.OverRange < 0 || math.IsNaN(j.SumNS) || j.SumNS < 0 {
		return fmt.Errorf("count %d, min %d, max %d, sum %v, over %d do not fit the histogram of %d values",
			j.Count, j.MinNS, j.MaxNS, j.SumNS, j.OverRange, h.TotalCount())
	}
	*l = LatencyHistogram{h: h, sum: j.SumNS, min: j.MinNS, max: j.MaxNS, over: j.OverRange}
	return nil
}

// WriteLatencyFile writes l to path in the LatencyFile format.
func WriteLatencyFile(path string, l *LatencyHistogram) error {
	b, err := l.MarshalJSON()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ReadLatencyFile reads a histogram written by WriteLatencyFile. A missing
// file is an error wrapping os.ErrNotExist.
func ReadLatencyFile(path string) (*LatencyHistogram, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxLatencyFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > maxLatencyFile {
		return nil, fmt.Errorf("%s: over %d bytes, not a latency histogram", path, maxLatencyFile)
	}
	l := &LatencyHistogram{}
	if err := l.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// Clone returns an independent copy of l.
func (l *LatencyHistogram) Clone() *LatencyHistogram {
	c := *l
	c.h = l.h.Clone()
	return &c
}

// checkGeometry reads the header of an HdrHistogram V2 compressed encoding
// (base64; an 8-byte cookie and length, then a zlib stream starting with a
// 40-byte header) and refuses any geometry but ours before hdr.Decode
// allocates the counts a hostile geometry asks for (up to ~50 MB).
func checkGeometry(b64 string) error {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return err
	}
	if len(raw) < 8 {
		return errors.New("too short")
	}
	z, err := zlib.NewReader(bytes.NewReader(raw[8:]))
	if err != nil {
		return err
	}
	defer z.Close()
	var head struct {
		Cookie, PayloadLength, Offset, Digits int32
		Lowest, Highest                       int64
	}
	if err := binary.Read(z, binary.BigEndian, &head); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	if head.Digits != latencyDigits || head.Lowest != latencyLowest || head.Highest != latencyHighest {
		return fmt.Errorf("geometry %d..%d at %d digits, want %d..%d at %d", head.Lowest, head.Highest, head.Digits,
			latencyLowest, latencyHighest, latencyDigits)
	}
	return nil
}
