package all_test

import (
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	_ "github.com/wabcheck/wabcheck/internal/dialect/all"
)

// TestSendFieldsFindWhatSendRequestWrote pins the Explorer's recipient
// fields and the ReferenceFielder's reference fields to the bodies the
// dialect's own SendRequest builds: steps read spelled-out send bodies
// there to correlate callbacks, so a dialect that moves a field must move
// its pointer too. A dialect whose callbacks echo a reference must say
// where a send carries it.
func TestSendFieldsFindWhatSendRequestWrote(t *testing.T) {
	for _, d := range dialect.All() {
		t.Run(d.Info().Name, func(t *testing.T) {
			if _, ok := d.(dialect.Explorer); !ok {
				t.Skip("no Explorer: steps do not read spelled-out send bodies")
			}
			_, refs := d.(dialect.ReferenceFielder)
			if echo := d.Callbacks().ReferenceEcho(); echo != dialect.EchoNone && !refs {
				t.Fatalf("callbacks echo a reference (%d) but the dialect names no reference field", echo)
			}
			m := &dialect.Message{To: "+64211000001", Reference: "wabcheck-ref-1", Kind: dialect.KindText, Text: "hi"}
			var r dialect.Request
			if err := d.SendRequest(&r, m); err != nil {
				t.Fatal(err)
			}
			to, ref := dialect.SendFields(d, r.Operation, r.Body)
			if strings.TrimPrefix(to, "+") != strings.TrimPrefix(m.To, "+") {
				t.Errorf("recipient = %q in %s; want %q", to, r.Body, m.To)
			}
			if want := map[bool]string{true: m.Reference}[refs]; ref != want {
				t.Errorf("reference = %q in %s; want %q", ref, r.Body, want)
			}
			if to, ref := dialect.SendFields(d, r.Operation, []byte("not json")); to != "" || ref != "" {
				t.Errorf("SendFields of a body that is not JSON = %q, %q; want nothing", to, ref)
			}
		})
	}
}
