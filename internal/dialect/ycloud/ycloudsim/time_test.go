package ycloudsim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The fast RFC 3339 formatter writes what time.Format does, for every
// day from year 0 to 9999 and a spread of times of day.
func TestAppendRFC3339Millis(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lo, hi := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	check := func(u int64) {
		want := time.Unix(u, 0).UTC().Format(rfc3339Millis)
		if got := string(appendRFC3339Millis(nil, u)); got != want {
			t.Fatalf("%d: %s, want %s", u, got, want)
		}
	}
	for u := lo; u <= hi; u += 86400 {
		check(u)
	}
	for range 100000 {
		check(lo + r.Int64N(hi-lo))
	}
	for _, u := range []int64{0, -1, 951782400, 1709208000, 4107542400, lo - 1, hi + 1} {
		check(u)
	}
}
