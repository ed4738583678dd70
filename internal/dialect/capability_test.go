package dialect

import (
	"net/http"
	"testing"
)

// kindsOnly is a dialect whose callback model has the given kinds; the
// rest of Dialect is not used.
type kindsOnly struct {
	Dialect
	kinds []CallbackKind
}

func (k kindsOnly) Info() Info               { return Info{Name: "fake"} }
func (k kindsOnly) Callbacks() CallbackModel { return kindsModel{kinds: k.kinds} }

// kindsModel is a callback model with the given kinds.
type kindsModel struct{ kinds []CallbackKind }

func (m kindsModel) Kinds() []CallbackKind                     { return m.kinds }
func (kindsModel) Classify(string, http.Header, []byte) string { return "" }
func (kindsModel) Events(string, []byte, any) ([]Event, error) { return nil, nil }
func (kindsModel) ReferenceEcho() int                          { return EchoNone }
func (kindsModel) Ack() (int, http.Header)                     { return http.StatusOK, nil }

// TestHasInbound (seam, TestToyDialect's second finding): a vendor has
// inbound messages when a callback kind carries them; one that reports
// statuses only lacks them, and Lacks says so.
func TestHasInbound(t *testing.T) {
	status := CallbackKind{Name: "status", Carries: []string{EventStatus}}
	both := CallbackKind{Name: "hook", Carries: []string{EventStatus, EventInbound}}
	for _, tc := range []struct {
		kinds []CallbackKind
		want  bool
	}{
		{nil, false},
		{[]CallbackKind{status}, false},
		{[]CallbackKind{status, {Name: "reply", Carries: []string{EventInbound}}}, true},
		{[]CallbackKind{both}, true},
	} {
		if got := HasInbound(kindsOnly{kinds: tc.kinds}); got != tc.want {
			t.Errorf("HasInbound(%+v) = %v, want %v", tc.kinds, got, tc.want)
		}
	}
	if got := Lacks(kindsOnly{}, CapInbound); got != "fake has no inbound-messages" {
		t.Errorf("Lacks = %q", got)
	}
}
