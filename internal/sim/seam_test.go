package sim

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// silentWire reports no "delivered" to anyone, as YCloud reports no read
// of a customer's message.
type silentWire struct{ toyWire }

func (*silentWire) Reports(_ *Message, st string) bool { return st != "delivered" }

// Regression (YCloud dialect work): a status change the vendor reports to
// no one by design counted in skipped_no_url, as if a URL were missing. It
// is suppressed, and no callback is posted for it.
func TestReporterSilentStatusIsSuppressedNotSkipped(t *testing.T) {
	s, rec := toyServer(t, Disorder{})
	w := &silentWire{toyWire{url: s.wire.(*toyWire).url}}
	s2, err := New(s.doc, nil, w, s.cfg)
	if err != nil {
		t.Fatal(err)
	}
	id := accept(s2)
	waitStatuses(t, rec, id, 1)
	if _, err := s2.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := statuses(rec, id); !slices.Equal(got, []string{"sent"}) {
		t.Errorf("posted %v, want only sent", got)
	}
	cb := s2.Stats().Callbacks
	if cb.Skipped != 0 || cb.Suppressed != 1 {
		t.Errorf("skipped_no_url %d, suppressed %d; want 0 and 1", cb.Skipped, cb.Suppressed)
	}
}

// intWire has one setting that may change at run time.
type intWire struct {
	toyWire
	speed int
}

func (*intWire) Options() []Option {
	return []Option{{Name: "speed", Default: "1", What: "a number"}, {Name: "fixed", Default: "x", What: "start only"}}
}
func (w *intWire) OptionValues() map[string]string {
	return map[string]string{"speed": strconv.Itoa(w.speed)}
}
func (w *intWire) SetOptions(set map[string]string) error {
	n := w.speed
	for k, v := range set {
		i, err := strconv.Atoi(v)
		if k != "speed" || err != nil {
			return errors.New("options: bad " + k)
		}
		n = i
	}
	w.speed = n
	return nil
}

// A wire's run-time settings change through the admin configuration: all
// or nothing (a bad one leaves the rate limit given with it unchanged);
// unknown names and wires without run-time settings are refused.
func TestLiveOptionsThroughAdminConfig(t *testing.T) {
	s, _ := toyServer(t, Disorder{})
	w := &intWire{toyWire: toyWire{url: s.wire.(*toyWire).url}, speed: 1}
	s2, err := New(s.doc, nil, w, s.cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = s2.Close(context.Background()) })
	if err := s2.ApplyConfig(AdminConfig{Options: map[string]string{"speed": "7"}}); err != nil || w.speed != 7 {
		t.Fatalf("speed %d, err %v; want 7", w.speed, err)
	}
	if got := s2.adminConfig().Options["speed"]; got != "7" {
		t.Errorf("GET /_sim/config options.speed = %q, want 7", got)
	}
	rate := 42
	if err := s2.ApplyConfig(AdminConfig{RateLimit: &rate, Options: map[string]string{"speed": "fast"}}); err == nil {
		t.Error("a bad value was taken")
	}
	if r, _ := s2.RateLimit(); r == rate || w.speed != 7 {
		t.Errorf("a refused change applied: rate %d, speed %d", r, w.speed)
	}
	if err := s2.ApplyConfig(AdminConfig{Options: map[string]string{"nope": "1"}}); err == nil {
		t.Error("an unknown option was taken")
	}
	if err := s.ApplyConfig(AdminConfig{Options: map[string]string{"speed": "1"}}); err == nil {
		t.Error("a wire without run-time settings took one")
	}
}

// keyDialect authenticates with an API key only.
type keyDialect struct{ toyDialect }

func (keyDialect) Info() dialect.Info {
	return dialect.Info{Name: "toykey", Credentials: []dialect.CredentialField{dialect.FieldAPIKey}}
}

type keyWire struct{ toyWire }

func (*keyWire) Dialect() dialect.Dialect { return keyDialect{} }

// Regression (YCloud dialect work): a wire that authenticates with an API
// key could not start from DefaultConfig (its APIKey is empty, so that
// vendors without one do not look guarded by the published key). New
// fills the credentials the dialect uses with the published defaults, and
// the exposure check sees them; a vendor without an API key keeps none.
func TestDefaultCredentialsOfTheDialect(t *testing.T) {
	s, _ := toyServer(t, Disorder{})
	if s.Config().APIKey != "" {
		t.Errorf("a vendor without API keys got %q", s.Config().APIKey)
	}
	cfg := DefaultConfig()
	cfg.Password = "not-the-default"
	s2, err := New(s.doc, nil, &keyWire{toyWire{url: s.wire.(*toyWire).url}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = s2.Close(context.Background()) })
	if s2.Config().APIKey != DefaultAPIKey || !s2.Config().DefaultCredentials() {
		t.Errorf("APIKey %q, default credentials %v", s2.Config().APIKey, s2.Config().DefaultCredentials())
	}
}
