package sim

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/wabcheck/wabcheck/spec"
)

// liveWire is the toy wire with one live option ("speed") and one that
// cannot change while it runs ("format").
type liveWire struct {
	toyWire
	mu    sync.Mutex
	speed string
}

func (*liveWire) Options() []Option {
	return []Option{{Name: "speed", Default: "1"}, {Name: "format", Default: "a"}}
}

func (w *liveWire) SetOptions(set map[string]string) error {
	if _, ok := set["format"]; ok {
		return errors.New("format cannot change while the simulator runs")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.speed = set["speed"]
	return nil
}

func (w *liveWire) OptionValues() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return map[string]string{"speed": w.speed}
}

// Live wire options change through PATCH /_sim/config and show in GET;
// an unknown name, an option the wire refuses, or a wire without live
// options is an error that changes nothing.
func TestLiveWireOptions(t *testing.T) {
	newServer := func(w Wire) *Server {
		s, err := New(&spec.Doc{T: toySpec(t)}, nil, w, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = s.Close(context.Background()) })
		return s
	}
	w := &liveWire{speed: "1"}
	s := newServer(w)
	if err := s.ApplyConfig(AdminConfig{Options: map[string]string{"speed": "9"}}); err != nil {
		t.Fatal(err)
	}
	if got := s.adminConfig().Options["speed"]; got != "9" {
		t.Errorf("GET options speed = %q, want 9", got)
	}
	for set, want := range map[string]string{"format": "cannot change", "nope": `no option "nope"`} {
		err := s.ApplyConfig(AdminConfig{Options: map[string]string{set: "x"}, ReadRatio: ptr(0.5)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", set, err, want)
		}
		if r := s.dynamic.Load().ratios.read; r == 0.5 {
			t.Errorf("%s: the read ratio changed though the options were refused", set)
		}
	}
	if err := newServer(&toyWire{}).ApplyConfig(AdminConfig{Options: map[string]string{"speed": "2"}}); err == nil {
		t.Error("a wire without live options took one")
	}
}
