package finite

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrNotFinite is wrapped by every error for a NaN or infinite value.
var ErrNotFinite = errors.New("not a finite number")

// Check returns an error wrapping ErrNotFinite when v is NaN or ±Inf.
func Check(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%v is %w", v, ErrNotFinite)
	}
	return nil
}

// Parse reads a float64 and refuses NaN and infinities.
func Parse(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			err = ne.Err // the flag or field name is added by the caller
		}
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	if err := Check(v); err != nil {
		return 0, fmt.Errorf("%q is %w", s, ErrNotFinite)
	}
	return v, nil
}

// Float is a flag value (it satisfies pflag.Value) holding a finite
// float64: Set refuses NaN and infinities, so no range check downstream
// ever sees one. Register it with FlagSet.Var(finite.New(&x, def), …).
type Float struct{ p *float64 }

// New stores def in *p and returns the flag value writing to *p.
func New(p *float64, def float64) *Float {
	*p = def
	return &Float{p: p}
}

// Set parses s (pflag.Value).
func (f *Float) Set(s string) error {
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*f.p = v
	return nil
}

// String formats the value (pflag.Value).
func (f *Float) String() string {
	if f == nil || f.p == nil {
		return "0"
	}
	return strconv.FormatFloat(*f.p, 'g', -1, 64)
}

// Type names the value kind in help output (pflag.Value).
func (f *Float) Type() string { return "float" }
