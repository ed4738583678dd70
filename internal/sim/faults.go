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

// FaultID indexes a simulator's fault catalogue: the core's faults first
// (the constants below), then its wire's.
type FaultID int

// The core's faults: request-level ones and those of status callbacks.
const (
	FaultServerErrorBurst FaultID = iota
	FaultLatencySpike
	FaultDLRDrop
	FaultDLRDuplicate
	FaultDLROutOfOrder
	FaultDLRLate
	FaultDLRUnknownID
	FaultCallbackMalformedBody
	FaultDLRIllegalTransition
	coreFaultCount
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

var coreCatalogue = [coreFaultCount]Fault{
	FaultServerErrorBurst:      {"server-error-burst", "a burst of consecutive 500 responses (--error-burst, default 5)", "serve valid requests"},
	FaultLatencySpike:          {"latency-spike", "the response is held back for --latency-spike (default 2s)", "answer within the latency budget"},
	FaultDLRDrop:               {"dlr-drop", "a status callback is never sent", "send every status change"},
	FaultDLRDuplicate:          {"dlr-duplicate", "a status callback is sent twice", "send each status once (at-least-once only on retry)"},
	FaultDLROutOfOrder:         {"dlr-out-of-order", "the delivered status is sent before the sent status", "send statuses in lifecycle order"},
	FaultDLRLate:               {"dlr-late", "the final status callback is held back for --late-dlr-delay (default 35s)", "send status callbacks promptly"},
	FaultDLRUnknownID:          {"dlr-unknown-id", "a status callback carries an id that was never issued", "use the message id returned when the message was accepted"},
	FaultCallbackMalformedBody: {"callback-malformed-body", "a callback body (status or inbound) is truncated, invalid JSON", "post a body valid against the callback schema"},
	FaultDLRIllegalTransition:  {"dlr-illegal-transition", "a read status is sent before sent and delivered", "never report read before delivered"},
}

// catalogue is a simulator's faults: the core's that apply to its wire,
// then the wire's own, each with its id.
type catalogue struct {
	list []Fault
	ids  []FaultID // ids[i] is list[i]'s id
	byID map[FaultID]int
}

// newCatalogue builds the catalogue of w.
func newCatalogue(w Wire) (*catalogue, error) {
	c := &catalogue{byID: map[FaultID]int{}}
	own, wording := splitWireFaults(w.Faults())
	for _, name := range w.CoreFaults() {
		id, ok := coreFaultByName(name)
		if !ok {
			return nil, fmt.Errorf("sim: wire lists unknown core fault %q", name)
		}
		f := coreCatalogue[id]
		if alt, ok := wording[name]; ok {
			f = alt
		}
		c.add(id, f)
	}
	for i, f := range own {
		if _, dup := c.byName(f.Name); dup || f.Name == "" {
			return nil, fmt.Errorf("sim: wire fault %q is empty or listed twice", f.Name)
		}
		c.add(coreFaultCount+FaultID(i), f)
	}
	return c, nil
}

// splitWireFaults separates a wire's own faults from entries that name a
// core fault: those reword it in the vendor's terms ("the received DLR").
func splitWireFaults(list []Fault) (own []Fault, wording map[string]Fault) {
	wording = map[string]Fault{}
	for _, f := range list {
		if _, core := coreFaultByName(f.Name); core {
			wording[f.Name] = f
			continue
		}
		own = append(own, f)
	}
	return own, wording
}

func (c *catalogue) add(id FaultID, f Fault) {
	c.byID[id] = len(c.list)
	c.list = append(c.list, f)
	c.ids = append(c.ids, id)
}

func coreFaultByName(name string) (FaultID, bool) {
	for i, f := range coreCatalogue {
		if f.Name == name {
			return FaultID(i), true
		}
	}
	return 0, false
}

// byName returns the id of the fault named name.
func (c *catalogue) byName(name string) (FaultID, bool) {
	for i, f := range c.list {
		if f.Name == name {
			return c.ids[i], true
		}
	}
	return 0, false
}

// size is one more than the largest id.
func (c *catalogue) size() int {
	n := int(coreFaultCount)
	for _, id := range c.ids {
		n = max(n, int(id)+1)
	}
	return n
}

// Faults returns a catalogue of faults, in a stable order: the core's that
// apply to w, then w's own.
func Faults(w Wire) ([]Fault, error) {
	c, err := newCatalogue(w)
	if err != nil {
		return nil, err
	}
	return append([]Fault(nil), c.list...), nil
}

// FaultSetting switches one fault on: it fires with probability Ratio
// (1 = always, deterministic) per opportunity.
type FaultSetting struct {
	Name  string  `json:"name" yaml:"name"`
	Ratio float64 `json:"ratio" yaml:"ratio"`
}

// checkRatio reports a ratio outside (0, 1].
func (f FaultSetting) checkRatio() error {
	if finite.Check(f.Ratio) != nil || f.Ratio <= 0 || f.Ratio > 1 {
		return fmt.Errorf("fault %s: ratio %v must be within (0, 1]", f.Name, f.Ratio)
	}
	return nil
}

// check reports an unknown name or a bad ratio.
func (c *catalogue) check(f FaultSetting) error {
	if _, ok := c.byName(f.Name); !ok {
		return fmt.Errorf("unknown fault %q (see `wabcheck sim faults`)", f.Name)
	}
	return f.checkRatio()
}

// CheckFaults reports the first setting w's simulator does not know.
func CheckFaults(w Wire, list []FaultSetting) error {
	c, err := newCatalogue(w)
	if err != nil {
		return err
	}
	for _, f := range list {
		if err := c.check(f); err != nil {
			return err
		}
	}
	return nil
}

// ParseFault parses a --fault value: NAME or NAME=RATIO (default ratio
// 1). Whether the name exists is checked against the vendor's catalogue
// later (CheckFaults, New).
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
	if f.Name == "" {
		return f, fmt.Errorf("fault %q: no name", s)
	}
	return f, f.checkRatio()
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
		if err := f.checkRatio(); err != nil {
			return nil, fmt.Errorf("faults file %s: item %d: %w", file, i, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// faultSet is the active faults: an immutable table swapped atomically, so
// the hot path pays one atomic load and an index.
type faultSet struct {
	ratio []float64 // by FaultID
	any   bool
}

// faults holds the catalogue, the active set and the seeded random source
// for ratios < 1.
type faults struct {
	cat   *catalogue
	set   atomic.Pointer[faultSet]
	mu    sync.Mutex
	rng   *rand.Rand
	burst atomic.Int64 // remaining 500s of a server-error-burst
	fired []atomic.Int64
}

func newFaults(cat *catalogue, seed uint64, initial []FaultSetting) *faults {
	f := &faults{cat: cat, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), fired: make([]atomic.Int64, cat.size())}
	f.replace(initial)
	return f
}

// replace swaps in a new active set; unknown names are ignored.
func (f *faults) replace(list []FaultSetting) {
	s := &faultSet{ratio: make([]float64, f.cat.size())}
	for _, fs := range list {
		if id, ok := f.cat.byName(fs.Name); ok {
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
	for i, id := range f.cat.ids {
		if r := s.ratio[id]; r > 0 {
			out = append(out, FaultSetting{Name: f.cat.list[i].Name, Ratio: r})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// on reports whether fault id is switched on (whatever its ratio).
func (f *faults) on(id FaultID) bool {
	r := f.set.Load().ratio
	return int(id) < len(r) && r[id] > 0
}

// hit decides whether fault id fires at this opportunity, and counts it.
func (f *faults) hit(id FaultID) bool {
	s := f.set.Load()
	if !s.any || int(id) >= len(s.ratio) {
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
	for i, id := range f.cat.ids {
		if n := f.fired[id].Load(); n > 0 {
			out[f.cat.list[i].Name] = n
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
