package sim

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
	"github.com/wabcheck/wabcheck/spec"
)

// toyDialect is a dialect with YCloud-like statuses and no order promise,
// defined here to test the core without any vendor package.
type toyDialect struct{ dialect.Dialect }

var toyStatuses = dialect.NewStatusModel(dialect.StatusModel{
	Statuses: []dialect.Status{{Name: "accepted"}, {Name: "sent", Rank: 1}, {Name: "delivered", Rank: 2, Final: true},
		{Name: "read", Rank: 3, Final: true}, {Name: "failed", Rank: 2, Final: true, Failure: true}},
	Accepted: "accepted",
})

func (toyDialect) Info() dialect.Info                { return dialect.Info{Name: "toy", SimSender: "+15550000000"} }
func (toyDialect) Statuses() *dialect.StatusModel    { return toyStatuses }
func (toyDialect) Callbacks() dialect.CallbackModel  { return toyCallbacks{} }
func (toyDialect) RateLimit() dialect.RateLimitModel { return dialect.RateLimitModel{} }

// toyCallbacks is a callback model with no kinds.
type toyCallbacks struct{ dialect.CallbackModel }

func (toyCallbacks) Kinds() []dialect.CallbackKind { return nil }

// toyWire posts "<id> <status>" lines to url.
type toyWire struct {
	s        *Server
	url      string
	disorder Disorder
}

func (w *toyWire) Dialect() dialect.Dialect { return toyDialect{} }
func (w *toyWire) Init(s *Server) error     { w.s = s; return nil }
func (w *toyWire) Faults() []Fault {
	return []Fault{{Name: "toy-fault", Does: "nothing", Conformant: "nothing"}}
}
func (w *toyWire) CoreFaults() []string { return []string{"dlr-drop", "latency-spike"} }
func (w *toyWire) Walks() Walks {
	st := func(n string, p Phase) Step { return Step{Status: n, Phase: p} }
	return Walks{Delivered: &Walk{Name: "delivered", Steps: []Step{st("sent", PhaseSend), st("delivered", PhaseDeliver)}},
		Read:     &Walk{Name: "read", Steps: []Step{st("sent", PhaseSend), st("delivered", PhaseDeliver), st("read", PhaseRead)}},
		ReadStep: st("read", PhaseRead), DeliveredStatus: "delivered", Hold: "sent", Disorder: w.disorder,
		Failures: map[string]*Walk{"fail": {Name: "failed", Steps: []Step{st("failed", PhaseSend)}}}}
}
func (w *toyWire) FormatID(id ID) string                     { return id.String() }
func (w *toyWire) ParseID(s string) (ID, bool)               { return ParseUUID(s) }
func (w *toyWire) Authenticate(*http.Request) (string, bool) { return "", true }
func (w *toyWire) ServeAPI(rw http.ResponseWriter, _ *http.Request, _, _ string) {
	rw.WriteHeader(http.StatusTeapot)
}
func (w *toyWire) WriteError(rw http.ResponseWriter, e Error) { rw.WriteHeader(e.Status) }
func (w *toyWire) StatusCallbacks(m *Message, st string) []dispatch.Delivery {
	return []dispatch.Delivery{{Key: m.ID.String(), URL: w.url, Body: []byte(m.ID.String() + " " + st), Kind: "status"}}
}
func (w *toyWire) Inbound(context.Context, InboundRequest) (*Message, []dispatch.Delivery, error) {
	return &Message{}, nil, nil
}

// statuses returns the statuses the toy wire posted to rec for id ("ID
// STATUS" bodies), in arrival order.
func statuses(rec *simtest.Receiver, id string) []string {
	var out []string
	for _, p := range rec.All() {
		if rest, ok := strings.CutPrefix(string(p.Body), id+" "); ok {
			out = append(out, rest)
		}
	}
	return out
}

func toyServer(t *testing.T, dis Disorder) (*Server, *simtest.Receiver) {
	t.Helper()
	rec := simtest.NewReceiver(t)
	doc := &spec.Doc{T: toySpec(t)}
	cfg := DefaultConfig()
	cfg.Lifecycle, cfg.Seed = Lifecycle{}, 1
	s, err := New(doc, nil, &toyWire{url: rec.URL, disorder: dis}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = s.Close(context.Background()) })
	return s, rec
}

// waitStatuses waits until rec has n status callbacks of message id and
// returns them.
func waitStatuses(t *testing.T, rec *simtest.Receiver, id string, n int) []string {
	t.Helper()
	simtest.WaitFor(t, fmt.Sprintf("%d status callbacks of message %s", n, id), func() bool { return len(statuses(rec, id)) >= n })
	return statuses(rec, id)
}

func accept(s *Server) string {
	m := &Message{To: "+15551234567", Created: s.Now().Unix()}
	s.Reserve(1)
	s.Accept(m, s.Now())
	return m.ID.String()
}

// Lawful disorder of vendors that promise no order: a reorder posts the
// delivered status before sent, a duplicate posts the final status twice,
// a skip never posts sent. None of it is a fault.
func TestLawfulDisorder(t *testing.T) {
	for _, tc := range []struct {
		name string
		dis  Disorder
		want []string
	}{
		{"none", Disorder{}, []string{"sent", "delivered"}},
		{"reorder", Disorder{Reorder: 1}, []string{"delivered", "sent"}},
		{"duplicate", Disorder{Duplicate: 1}, []string{"sent", "delivered", "delivered"}},
		{"skip", Disorder{Skip: 1}, []string{"delivered"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, rec := toyServer(t, tc.dis)
			id := accept(s)
			waitStatuses(t, rec, id, len(tc.want))
			if _, err := s.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := statuses(rec, id); !slices.Equal(got, tc.want) {
				t.Errorf("posted %v, want %v", got, tc.want)
			}
		})
	}
}

// The catalogue is the core faults the wire names, then its own; a
// setting for a fault outside it is refused.
func TestCatalogueIsCoreFaultsTheWireNamesThenItsOwn(t *testing.T) {
	list, err := Faults(&toyWire{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range list {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"dlr-drop", "latency-spike", "toy-fault"}) {
		t.Errorf("catalogue %v", names)
	}
	if err := CheckFaults(&toyWire{}, []FaultSetting{{Name: "dlr-duplicate", Ratio: 1}}); err == nil {
		t.Error("a core fault the wire does not name was accepted")
	}
}

// TestFaultRatioSeeded: a ratio < 1 fires about that often, the same way
// for the same seed.
func TestFaultRatioSeeded(t *testing.T) {
	cat, err := newCatalogue(&toyWire{})
	if err != nil {
		t.Fatal(err)
	}
	run := func() []bool {
		f := newFaults(cat, 7, []FaultSetting{{Name: "dlr-drop", Ratio: 0.3}})
		out := make([]bool, 1000)
		for i := range out {
			out[i] = f.hit(FaultDLRDrop)
		}
		return out
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different firings")
	}
	n := 0
	for _, x := range a {
		if x {
			n++
		}
	}
	if n < 250 || n > 350 {
		t.Errorf("ratio 0.3 fired %d of 1000", n)
	}
}

// A failure ratio needs a failure path: the toy wire has "fail" only.
func TestRatioWithoutAWalkIsAConfigError(t *testing.T) {
	cfg := DefaultConfig()
	cfg.RejectRatio = 0.1
	_, err := New(&spec.Doc{T: toySpec(t)}, nil, &toyWire{}, cfg)
	if err == nil || !strings.Contains(err.Error(), "RejectRatio") {
		t.Errorf("New: %v", err)
	}
}

// toyBatchWire merges deliveries to one URL into one POST, one line each.
type toyBatchWire struct{ toyWire }

func (*toyBatchWire) BatchKey(del dispatch.Delivery) string { return del.URL }
func (*toyBatchWire) Merge(dels []dispatch.Delivery) dispatch.Delivery {
	var lines []string
	for _, d := range dels {
		lines = append(lines, string(d.Body))
	}
	return dispatch.Delivery{Key: dels[0].URL, URL: dels[0].URL, Body: []byte(strings.Join(lines, "\n")), Kind: "batch"}
}
func (*toyBatchWire) DefaultBatch() (int, time.Duration) { return 3, time.Hour }

// A vendor that batches gets several events per POST: full batches go at
// once, the rest when the simulator closes (or the window passes).
func TestBatchedCallbacks(t *testing.T) {
	rec := simtest.NewReceiver(t)
	cfg := DefaultConfig()
	cfg.Lifecycle, cfg.Seed = Lifecycle{}, 1
	s, err := New(&spec.Doc{T: toySpec(t)}, nil, &toyBatchWire{toyWire{url: rec.URL}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		accept(s)
	}
	simtest.WaitFor(t, "4 messages delivered", func() bool { return s.Stats().Reached["delivered"] >= 4 })
	if _, err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	lines, posts := 0, len(rec.All())
	for _, p := range rec.All() {
		lines += strings.Count(string(p.Body), "\n") + 1
	}
	if lines != 8 || posts != 3 {
		t.Errorf("%d status events in %d POSTs, want 8 in 3 (3+3+2)", lines, posts)
	}
}

// TestCallbackDialRefusesMetadataAddress (issue 13 item 7, at connect
// time): a callback URL whose host only resolves to a metadata address
// passes the URL check; the dispatcher's dialer refuses the connection.
// The toy wire posts to the address directly, as a resolving name would.
func TestCallbackDialRefusesMetadataAddress(t *testing.T) {
	var logs simtest.SyncBuffer
	cfg := DefaultConfig()
	cfg.Lifecycle, cfg.CallbackMaxAttempts = Lifecycle{}, 1
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(&spec.Doc{T: toySpec(t)}, nil, &toyWire{url: "http://169.254.0.9:80/status"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	accept(s)
	simtest.WaitFor(t, "the delivery to a metadata address given up", func() bool { return s.disp.Stats().GivenUp > 0 })
	if !strings.Contains(logs.String(), "link-local or cloud metadata address") {
		t.Errorf("the give-up was not the dial guard's refusal:\n%s", logs.String())
	}
}
