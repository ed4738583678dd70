package load

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Message variants a payload may weight.
const (
	VariantText     = "text"
	VariantTemplate = "template"
	VariantMedia    = "media"
)

var knownVariants = []string{VariantText, VariantTemplate, VariantMedia}

// Shard is this process's share of a distributed run: Index of Count
// (0-based). The zero value means a single, unsharded run.
type Shard struct{ Index, Count int }

// ParseShard reads --shard I/N.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{Count: 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %q: want I/N with 0 <= I < N, like 0/3", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// Sharded reports whether this is one shard of several.
func (s Shard) Sharded() bool { return s.Count > 1 }

// TargetConfig configures NewGenerator.
type TargetConfig struct {
	// BaseURL is the API root, e.g. http://127.0.0.1:8080/rest/wab/v1.
	BaseURL        string
	User, Password string
	Payload        Payload
	Mix            []OpWeight
	Shard          Shard
	// RunID makes references unique across runs.
	RunID string
}

// Generator produces the requests of a profile. Its Targeter is safe for
// concurrent use; every request carries a unique reference (in the body and
// in the URL fragment, which is not sent but stays on vegeta's Result.URL so
// results can be tied back to it).
type Generator struct {
	cfg                    TargetConfig
	n                      atomic.Uint64
	mix, variants          []int // cumulative weights
	mixTotal, variantTotal uint64
	sendURL, broadcastURL  string
	getURL, healthURL      string
	postHeader, getHeader  http.Header
	refPrefix              string
	destFirst, destCount   uint64
	recent                 *Recent
}

// NewGenerator builds a Generator; recent feeds the ids "get" asks for (may
// be nil when the mix has no "get").
func NewGenerator(cfg TargetConfig, recent *Recent) *Generator {
	base := strings.TrimRight(cfg.BaseURL, "/")
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.User+":"+cfg.Password))
	g := &Generator{
		cfg: cfg, sendURL: base + "/messages", broadcastURL: base + "/messages/broadcast",
		getURL: base + "/messages?id=", healthURL: base + "/healthz",
		postHeader: http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}},
		getHeader:  http.Header{"Accept": {"application/json"}},
		recent:     recent,
	}
	if cfg.User != "" {
		g.postHeader.Set("Authorization", auth)
		g.getHeader.Set("Authorization", auth)
	}
	g.mix, g.mixTotal = cumulative(cfg.Mix)
	g.variants, g.variantTotal = cumulative(cfg.Payload.Variants)
	g.refPrefix = fmt.Sprintf("%s-%s-s%d-", cfg.Payload.ReferencePrefix, cfg.RunID, cfg.Shard.Index)
	count := max(cfg.Shard.Count, 1)
	g.destCount = max(cfg.Payload.Destinations/uint64(count), 1)
	g.destFirst = cfg.Payload.FirstDestination + uint64(cfg.Shard.Index)*g.destCount
	return g
}

func cumulative(ws []OpWeight) ([]int, uint64) {
	out := make([]int, len(ws))
	total := 0
	for i, w := range ws {
		total += w.Weight
		out[i] = total
	}
	return out, uint64(total)
}

// pick spreads n over the weights: a multiplicative stride interleaves the
// choices instead of sending them in blocks.
func pick(cum []int, total, n uint64) int {
	if len(cum) == 1 {
		return 0
	}
	x := int((n * 2654435761) % total)
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

// Destinations is this shard's slice of the destination range: first
// number and count.
func (g *Generator) Destinations() (first, count uint64) { return g.destFirst, g.destCount }

// Targeter returns the vegeta.Targeter. It never returns an error.
func (g *Generator) Targeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		n := g.n.Add(1) - 1
		op := g.cfg.Mix[pick(g.mix, g.mixTotal, n)].Op
		switch op {
		case OpGet:
			if id, ok := g.recent.Get(n); ok {
				t.Method, t.URL, t.Body, t.Header = http.MethodGet, g.getURL+id, nil, g.getHeader
				return nil
			}
			fallthrough // nothing accepted yet: ask for health instead
		case OpHealthz:
			t.Method, t.URL, t.Body, t.Header = http.MethodGet, g.healthURL, nil, g.getHeader
			return nil
		}
		ref := g.Reference(n)
		variant := g.cfg.Payload.Variants[pick(g.variants, g.variantTotal, n/3)].Op
		t.Method, t.Header = http.MethodPost, g.postHeader
		if op == OpBroadcast {
			t.URL = g.broadcastURL + "#" + ref
			t.Body = g.body(make([]byte, 0, 128+18*g.cfg.Payload.BroadcastSize), n, ref, variant, true)
		} else {
			t.URL = g.sendURL + "#" + ref
			t.Body = g.body(make([]byte, 0, 192), n, ref, variant, false)
		}
		return nil
	}
}

// Reference is the unique reference of request n.
func (g *Generator) Reference(n uint64) string {
	return g.refPrefix + strconv.FormatUint(n, 10)
}

// Destination is the i-th number of this shard's slice, wrapping around.
func (g *Generator) Destination(i uint64) uint64 { return g.destFirst + i%g.destCount }

// body appends the JSON body of request n.
func (g *Generator) body(b []byte, n uint64, ref, variant string, broadcast bool) []byte {
	b = append(b, `{"destination":`...)
	if broadcast {
		size := uint64(g.cfg.Payload.BroadcastSize)
		b = append(b, '[')
		for i := range size {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendNumber(b, g.Destination(n*size+i))
		}
		b = append(b, ']')
	} else {
		b = appendNumber(b, g.Destination(n))
	}
	b = append(b, `,"reference":"`...)
	b = append(b, ref...)
	b = append(b, `","type":"`...)
	b = append(b, variant...)
	b = append(b, `",`...)
	switch variant {
	case VariantTemplate:
		b = append(b, `"template":{"name":"hello_world","language":"en_US"}}`...)
	case VariantMedia:
		b = append(b, `"media":{"type":"image","url":"https://example.com/wabcheck/load.png"}}`...)
	default:
		b = append(b, `"text":{"body":"wabcheck load `...)
		b = append(b, ref...)
		b = append(b, `"}}`...)
	}
	return b
}

func appendNumber(b []byte, n uint64) []byte {
	b = append(b, `"+`...)
	b = strconv.AppendUint(b, n, 10)
	return append(b, '"')
}

// ReferenceOf returns the reference carried in a result URL's fragment.
func ReferenceOf(url string) string {
	if i := strings.LastIndexByte(url, '#'); i >= 0 {
		return url[i+1:]
	}
	return ""
}

// Recent is a small ring of recently accepted message ids for "get".
// Ids older than recentMaxAge are not handed out while younger ones exist:
// the in-process simulator forgets finished messages after simMessageTTL.
type Recent struct {
	mu  sync.Mutex
	ids [1024]string
	at  [1024]int64 // unix nanoseconds of Put
	n   uint64
	// now is the clock; nil means time.Now.
	now func() time.Time
}

// recentMaxAge is the age beyond which Get avoids an id.
const recentMaxAge = 30 * time.Second

func (r *Recent) clock() int64 {
	if r.now != nil {
		return r.now().UnixNano()
	}
	return time.Now().UnixNano()
}

// Put adds an accepted id.
func (r *Recent) Put(id string) {
	if r == nil {
		return
	}
	now := r.clock()
	r.mu.Lock()
	i := r.n % uint64(len(r.ids))
	r.ids[i], r.at[i] = id, now
	r.n++
	r.mu.Unlock()
}

// Get returns some recent id, chosen by n among those no older than
// recentMaxAge (the newest id when all are older).
func (r *Recent) Get(n uint64) (string, bool) {
	if r == nil {
		return "", false
	}
	cutoff := r.clock() - int64(recentMaxAge)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 {
		return "", false
	}
	ring := uint64(len(r.ids))
	oldest := r.n - min(r.n, ring)
	// ids are put in (roughly) time order: find the first fresh one
	fresh := oldest + uint64(sort.Search(int(r.n-oldest), func(k int) bool { return r.at[(oldest+uint64(k))%ring] >= cutoff }))
	if fresh == r.n {
		fresh = r.n - 1
	}
	return r.ids[(fresh+n%(r.n-fresh))%ring], true
}
