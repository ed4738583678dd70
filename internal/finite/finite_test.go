package finite

import (
	"errors"
	"math"
	"testing"
)

func TestFloatRefusesNaNAndInf(t *testing.T) {
	for _, in := range []string{"NaN", "nan", "Inf", "+Inf", "-inf", "infinity", "-Infinity", " NaN ", "1e400"} {
		var x float64
		f := New(&x, 0.5)
		if err := f.Set(in); err == nil {
			t.Errorf("Set(%q) accepted %v", in, x)
		}
		if x != 0.5 {
			t.Errorf("Set(%q) changed the value to %v", in, x)
		}
	}
	var x float64
	f := New(&x, 0)
	for in, want := range map[string]float64{"0.25": 0.25, "1e3": 1000, "-2": -2, "0x1p-2": 0.25} {
		if err := f.Set(in); err != nil || x != want {
			t.Errorf("Set(%q) = %v, %v; want %v", in, x, err, want)
		}
	}
	if f.Type() != "float" || New(&x, 1).String() != "1" {
		t.Errorf("Type %q, String %q", f.Type(), f.String())
	}
}

func TestCheck(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if err := Check(v); !errors.Is(err, ErrNotFinite) {
			t.Errorf("Check(%v) = %v", v, err)
		}
	}
	if err := Check(0.5); err != nil {
		t.Error(err)
	}
	if _, err := Parse("NaN"); !errors.Is(err, ErrNotFinite) {
		t.Errorf("Parse(NaN) = %v", err)
	}
}
