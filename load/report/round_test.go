package report

import (
	"testing"
	"time"
)

func TestRoundDuration(t *testing.T) {
	for in, want := range map[time.Duration]string{
		4166666667 * time.Nanosecond:  "4.17s",
		833333333 * time.Nanosecond:   "833ms",
		3354321 * time.Nanosecond:     "3.35ms",
		540123 * time.Nanosecond:      "540µs",
		12345678901 * time.Nanosecond: "12.3s",
	} {
		if got := RoundDuration(in).String(); got != want {
			t.Errorf("RoundDuration(%v) = %s, want %s", in, got, want)
		}
	}
}
