package sim

import (
	"context"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/spec"
)

// noAcceptDialect is the toy dialect without an Accepted status, as the
// on-premises client's model is.
type noAcceptDialect struct{ toyDialect }

var noAcceptStatuses = dialect.NewStatusModel(dialect.StatusModel{
	Statuses: []dialect.Status{{Name: "sent", Rank: 1}, {Name: "delivered", Rank: 2, Final: true},
		{Name: "read", Rank: 3, Final: true}, {Name: "failed", Rank: 2, Final: true, Failure: true}},
})

func (noAcceptDialect) Statuses() *dialect.StatusModel { return noAcceptStatuses }

type noAcceptWire struct{ toyWire }

func (*noAcceptWire) Dialect() dialect.Dialect { return noAcceptDialect{} }

// TestModelWithoutAcceptedCountsFirstStepOnce: a model with no Accepted
// status stamps and counts its first status when the walk reaches it, not
// also at acceptance (messages_by_status.sent was twice the messages).
func TestModelWithoutAcceptedCountsFirstStepOnce(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Lifecycle, cfg.Seed = Lifecycle{}, 1
	s, err := New(&spec.Doc{T: toySpec(t)}, nil, &noAcceptWire{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = s.Close(context.Background()) }()
	id, _ := ParseUUID(accept(s))
	simtest.WaitFor(t, "the message delivered", func() bool { return s.Stats().Reached["delivered"] >= 1 })
	if got := s.Stats().Reached["sent"]; got != 1 {
		t.Errorf("reached sent = %d, want 1", got)
	}
	if st := s.State(s.Get(id)); len(st.Times) != 2 {
		t.Errorf("status times %v, want sent and delivered", st.Times)
	}
}
