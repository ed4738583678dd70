package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"gopkg.in/yaml.v3"

	"github.com/wabcheck/wabcheck/internal/finite"
	"github.com/wabcheck/wabcheck/spec"
)

// faultID indexes the fault catalogue.
type faultID int

// The faults, in catalogue order.
const (
	fWrongSuccessStatus faultID = iota
	fMissingMessageID
	fNonUUIDMessageID
	fUnknownStatusValue
	fMissingSecurityHeader
	fRetryAfterMissing
	fRetryAfterOutOfRange
	fMissingRateLimitHeader
	fServerErrorBurst
	fLatencySpike
	fBroadcastShortResults
	fAcceptInvalidE164
	fDLRDrop
	fDLRDuplicate
	fDLROutOfOrder
	fDLRLate
	fDLRUnknownID
	fCallbackMalformedBody
	fDLRIllegalTransition
	faultCount
)

// Fault describes one vendor defect the simulator can reproduce.
type Fault struct {
	// Name is the stable name used by --fault, --faults and the admin API.
	Name string `json:"name"`
	// Does says what the simulator does when the fault fires.
	Does string `json:"does"`
	// Conformant says what a conformant server would do instead.
	Conformant string `json:"conformant"`
}

var catalogue = [faultCount]Fault{
	fWrongSuccessStatus:     {"wrong-success-status", "POST /messages and /messages/broadcast answer 200 instead of 202", "answer 202 Accepted"},
	fMissingMessageID:       {"missing-message-id", "the 202 body of POST /messages has no message_id", "return the new message's message_id"},
	fNonUUIDMessageID:       {"non-uuid-message-id", "message_id in the 202 body is 32 hex digits without dashes", "return a lower-case UUID (spec Uuid pattern)"},
	fUnknownStatusValue:     {"unknown-status-value", "status is \"queued\" in the 202 body and \"delivered\" in GET /messages", "use only the spec's status enums"},
	fMissingSecurityHeader:  {"missing-security-header", "responses lack Content-Security-Policy and Strict-Transport-Security", "send both headers on every response"},
	fRetryAfterMissing:      {"retry-after-missing", "429 responses have no Retry-After", "send Retry-After (10..1000 s) with every 429"},
	fRetryAfterOutOfRange:   {"retry-after-out-of-range", "429 responses say Retry-After: 1", "send a Retry-After within the spec's 10..1000 s"},
	fMissingRateLimitHeader: {"missing-ratelimit-header", "responses lack X-RateLimit-Limit", "send X-RateLimit-Limit on every response"},
	fServerErrorBurst:       {"server-error-burst", "a burst of consecutive 500 responses (--error-burst, default 5)", "serve valid requests"},
	fLatencySpike:           {"latency-spike", "the response is held back for --latency-spike (default 2s)", "answer within the latency budget"},
	fBroadcastShortResults:  {"broadcast-short-results", "a broadcast answer lacks the last destination's item", "one result item per destination"},
	fAcceptInvalidE164:      {"accept-invalid-e164", "a send to a destination that is not E.164 is accepted (202)", "reject it with a 4XX naming the destination"},
	fDLRDrop:                {"dlr-drop", "a status callback is never sent", "send every status change"},
	fDLRDuplicate:           {"dlr-duplicate", "a status callback is sent twice", "send each status once (at-least-once only on retry)"},
	fDLROutOfOrder:          {"dlr-out-of-order", "the received DLR is sent before the sent DLR", "send statuses in lifecycle order"},
	fDLRLate:                {"dlr-late", "the final DLR is held back for --late-dlr-delay (default 35s)", "send DLRs promptly"},
	fDLRUnknownID:           {"dlr-unknown-id", "a status callback carries an id that was never issued", "use the message_id returned in the 202"},
	fCallbackMalformedBody:  {"callback-malformed-body", "a callback body (DLR or MO) is truncated, invalid JSON", "post a body valid against the callback schema"},
	fDLRIllegalTransition:   {"dlr-illegal-transition", "a read DLR is sent before sent and received", "never report read before received"},
}

// Faults returns the catalogue, in a stable order.
func Faults() []Fault { return append([]Fault(nil), catalogue[:]...) }

func faultByName(name string) (faultID, bool) {
	for i, f := range catalogue {
		if f.Name == name {
			return faultID(i), true
		}
	}
	return 0, false
}

// FaultSetting switches one fault on: it fires with probability Ratio
// (1 = always, deterministic) per opportunity.
type FaultSetting struct {
	Name  string  `json:"name" yaml:"name"`
	Ratio float64 `json:"ratio" yaml:"ratio"`
}

func (f FaultSetting) check() error {
	if _, ok := faultByName(f.Name); !ok {
		return fmt.Errorf("unknown fault %q (see `wabcheck sim faults`)", f.Name)
	}
	if finite.Check(f.Ratio) != nil || f.Ratio <= 0 || f.Ratio > 1 {
		return fmt.Errorf("fault %s: ratio %v must be within (0, 1]", f.Name, f.Ratio)
	}
	return nil
}

// ParseFault parses a --fault value: NAME or NAME=RATIO (default ratio 1).
func ParseFault(s string) (FaultSetting, error) {
	name, r, hasRatio := strings.Cut(strings.TrimSpace(s), "=")
	f := FaultSetting{Name: name, Ratio: 1}
	if hasRatio {
		v, err := strconv.ParseFloat(r, 64)
		if err != nil {
			return f, fmt.Errorf("fault %q: ratio %q: %w", name, r, err)
		}
		f.Ratio = v
	}
	return f, f.check()
}

// LoadFaults reads a YAML list of {name, ratio} (ratio defaults to 1).
func LoadFaults(file string) ([]FaultSetting, error) {
	data, err := spec.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("faults file: %w", err)
	}
	var list []struct {
		Name  string   `yaml:"name"`
		Ratio *float64 `yaml:"ratio"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt "ratioo" is an error, not ratio 1
	if err := dec.Decode(&list); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("faults file %s: %s", file, yamlProblem(err))
	}
	out := make([]FaultSetting, 0, len(list))
	for i, e := range list {
		f := FaultSetting{Name: e.Name, Ratio: 1}
		if e.Ratio != nil {
			f.Ratio = *e.Ratio
		}
		if err := f.check(); err != nil {
			return nil, fmt.Errorf("faults file %s: item %d: %w", file, i, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// faultSet is the active faults: an immutable table swapped atomically, so
// the hot path pays one atomic load and an index.
type faultSet struct {
	ratio [faultCount]float64
	any   bool
}

// faults holds the active set and the seeded random source for ratios < 1.
type faults struct {
	set   atomic.Pointer[faultSet]
	mu    sync.Mutex
	rng   *rand.Rand
	burst atomic.Int64 // remaining 500s of a server-error-burst
	fired [faultCount]atomic.Int64
}

func newFaults(seed uint64, initial []FaultSetting) *faults {
	f := &faults{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	f.replace(initial)
	return f
}

// replace swaps in a new active set.
func (f *faults) replace(list []FaultSetting) {
	s := &faultSet{}
	for _, fs := range list {
		if id, ok := faultByName(fs.Name); ok {
			s.ratio[id] = fs.Ratio
			s.any = true
		}
	}
	f.set.Store(s)
}

// active lists the active faults sorted by name.
func (f *faults) active() []FaultSetting {
	s := f.set.Load()
	var out []FaultSetting
	for i, r := range s.ratio {
		if r > 0 {
			out = append(out, FaultSetting{Name: catalogue[i].Name, Ratio: r})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// on reports whether fault id is switched on (whatever its ratio).
func (f *faults) on(id faultID) bool { return f.set.Load().ratio[id] > 0 }

// hit decides whether fault id fires at this opportunity, and counts it.
func (f *faults) hit(id faultID) bool {
	s := f.set.Load()
	if !s.any {
		return false
	}
	r := s.ratio[id]
	if r <= 0 {
		return false
	}
	if r < 1 {
		f.mu.Lock()
		u := f.rng.Float64()
		f.mu.Unlock()
		if u >= r {
			return false
		}
	}
	f.fired[id].Add(1)
	return true
}

// firedCounts reports how often each fault fired, by name.
func (f *faults) firedCounts() map[string]int64 {
	out := map[string]int64{}
	for i := range f.fired {
		if n := f.fired[i].Load(); n > 0 {
			out[catalogue[i].Name] = n
		}
	}
	return out
}

var unknownFieldRe = regexp.MustCompile(`line (\d+): field (\S+) not found`)

// yamlProblem turns a yaml.v3 decoding error into one line; an unknown key
// is named with its line and the keys that are known.
func yamlProblem(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		if m := unknownFieldRe.FindStringSubmatch(te.Errors[0]); m != nil {
			return fmt.Sprintf("line %s: unknown key %q (known: name, ratio)", m[1], m[2])
		}
		return te.Errors[0]
	}
	return strings.Join(strings.Fields(strings.TrimPrefix(err.Error(), "yaml: ")), " ")
}
