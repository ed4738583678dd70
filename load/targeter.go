package load

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/load/profiles"
)

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
	BaseURL string
	// Dialect builds the vendor's requests; Auth gives their credentials
	// (nil: none).
	Dialect dialect.Dialect
	Auth    dialect.Auth
	Payload profiles.Payload
	Mix     []profiles.OpWeight
	Shard   Shard
	// RunID makes references unique across runs.
	RunID string
	// From is the business number sends come from ("" for the dialect's
	// default: the simulator's).
	From string
}

// Generator produces the requests of a profile, as the dialect builds
// them. Its Targeter is safe for concurrent use; every send carries a
// unique reference, and every request's URL fragment (not sent, but kept
// on vegeta's Result.URL) names the operation it was built for and its
// reference, so results are tied back to them without re-deriving the
// operation from the path.
type Generator struct {
	cfg                    TargetConfig
	base                   string
	n                      atomic.Uint64
	mix, variants          []int // cumulative weights
	mixTotal, variantTotal uint64
	health                 dialect.Request // a health check, or a retrieve of an unknown id
	headers                sync.Map        // content type → shared header map, for the credential in creds
	lastHeader             atomic.Pointer[sharedHeader]
	creds                  atomic.Pointer[credential]
	lastURL                atomic.Pointer[pathURL]
	builds                 sync.Pool // *build: a message and its request, reused
	refPrefix              string
	destFirst, destCount   uint64
	recent                 *Recent
}

// credential is a credential header the shared header maps carry.
type credential struct{ name, value string }

// sharedHeader is the last header map handed out: most requests of a run
// have the same content type and credential.
type sharedHeader struct {
	ctype, cred string
	h           http.Header
}

// pathURL is the last request path and its full URL.
type pathURL struct{ path, url string }

// build is a message and the request the dialect builds from it; pooled,
// since the dialect takes both by pointer (which would otherwise put two
// new values on the heap for every request).
type build struct {
	m dialect.Message
	r dialect.Request
}

// Shared payload parts: the dialect only reads them.
var (
	loadTemplate = dialect.Template{Name: "hello_world", Language: "en_US"}
	loadMedia    = dialect.Media{Type: "image", URL: "https://example.com/wabcheck/load.png"}
)

// NewGenerator builds a Generator; recent feeds the ids "get" asks for (may
// be nil when the mix has no "get").
func NewGenerator(cfg TargetConfig, recent *Recent) *Generator {
	g := &Generator{cfg: cfg, base: strings.TrimRight(cfg.BaseURL, "/"), recent: recent}
	g.health = probeRequest(cfg.Dialect)
	g.mix, g.mixTotal = cumulative(cfg.Mix)
	g.variants, g.variantTotal = cumulative(cfg.Payload.Variants)
	g.refPrefix = fmt.Sprintf("%s-%s-s%d-", cfg.Payload.ReferencePrefix, cfg.RunID, cfg.Shard.Index)
	count := max(cfg.Shard.Count, 1)
	g.destCount = max(cfg.Payload.Destinations/uint64(count), 1)
	g.destFirst = cfg.Payload.FirstDestination + uint64(cfg.Shard.Index)*g.destCount
	return g
}

// probeRequest is the cheapest request of the dialect: a health check, or
// a retrieve of a message nobody sent; the zero Request when it has
// neither.
func probeRequest(d dialect.Dialect) dialect.Request {
	if hc, ok := d.(dialect.HealthChecker); ok {
		return hc.HealthRequest()
	}
	if rt, ok := d.(dialect.Retriever); ok {
		return rt.RetrieveRequest("wabcheck-unknown-0")
	}
	return dialect.Request{}
}

// header is the shared header map for a content type with the current
// credential: read-only for vegeta, rebuilt when a login refreshed it.
func (g *Generator) header(ctype string) http.Header {
	c := g.credential()
	if last := g.lastHeader.Load(); last != nil && last.ctype == ctype && last.cred == c.value {
		return last.h
	}
	h := g.headerFor(ctype, c)
	g.lastHeader.Store(&sharedHeader{ctype: ctype, cred: c.value, h: h})
	return h
}

// headerFor is the shared header map for ctype and c, made once.
func (g *Generator) headerFor(ctype string, c credential) http.Header {
	key := ctype + "\x00" + c.value
	if h, ok := g.headers.Load(key); ok {
		return h.(http.Header)
	}
	h := http.Header{"Accept": {"application/json"}}
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	if c.name != "" {
		h.Set(c.name, c.value)
	}
	g.headers.Store(key, h)
	return h
}

// credential asks Auth for the credential now; when that fails (a login
// the target refused) it keeps the last one, since a targeter must not
// fail: the answers (401s) then say what went wrong.
func (g *Generator) credential() credential {
	if g.cfg.Auth == nil {
		return credential{}
	}
	name, value, err := g.cfg.Auth.Credential(context.Background())
	if err != nil {
		if c := g.creds.Load(); c != nil {
			return *c
		}
		return credential{}
	}
	c := credential{name, value}
	if old := g.creds.Load(); old == nil || *old != c {
		keep := c // only a changed credential goes on the heap
		g.creds.Store(&keep)
	}
	return c
}

func cumulative(ws []profiles.OpWeight) ([]int, uint64) {
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

// Operation codes of the URL fragment ("#s<ref>"): what a request was
// built as.
const (
	codeSend      = 's'
	codeBroadcast = 'b'
	codeOther     = 'o'
)

// Targeter returns the vegeta.Targeter. It never returns an error.
func (g *Generator) Targeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		n := g.n.Add(1) - 1
		op := g.cfg.Mix[pick(g.mix, g.mixTotal, n)].Op
		switch op {
		case profiles.OpGet:
			if rt, ok := g.cfg.Dialect.(dialect.Retriever); ok {
				if id, ok := g.recent.Get(n); ok {
					g.fill(t, rt.RetrieveRequest(id), codeOther, "")
					return nil
				}
			}
			fallthrough // nothing accepted yet: ask for health instead
		case profiles.OpHealthz:
			g.fill(t, g.health, codeOther, "")
			return nil
		}
		variant := g.cfg.Payload.Variants[pick(g.variants, g.variantTotal, n/3)].Op
		g.message(t, n, variant, op == profiles.OpBroadcast)
		return nil
	}
}

// message fills t with a send (or broadcast) of request n.
func (g *Generator) message(t *vegeta.Target, n uint64, variant string, broadcast bool) {
	b, _ := g.builds.Get().(*build)
	if b == nil {
		b = new(build)
	}
	b.m = g.messageOf(n, variant)
	ref := b.m.Reference
	if !broadcast {
		b.r = dialect.Request{Body: make([]byte, 0, 192)}
		_ = g.cfg.Dialect.SendRequest(&b.r, &b.m)
		g.fill(t, b.r, codeSend, ref)
	} else {
		size := uint64(g.cfg.Payload.BroadcastSize)
		to := make([]string, size)
		for i := range size {
			to[i] = number(g.Destination(n*size + i))
		}
		b.r = dialect.Request{Body: make([]byte, 0, 128+18*size)}
		if bc, ok := g.cfg.Dialect.(dialect.Broadcaster); ok {
			_ = bc.BroadcastRequest(&b.r, &b.m, to)
		}
		g.fill(t, b.r, codeBroadcast, ref)
	}
	*b = build{} // the body now belongs to t
	g.builds.Put(b)
}

// messageOf is the message of request n.
func (g *Generator) messageOf(n uint64, variant string) dialect.Message {
	ref, text := g.reference(n, variant != profiles.VariantTemplate && variant != profiles.VariantMedia)
	m := dialect.Message{To: number(g.Destination(n)), From: g.cfg.From, Reference: ref, Kind: variant, Via: g.cfg.Payload.Via}
	switch variant {
	case profiles.VariantTemplate:
		m.Template = &loadTemplate
	case profiles.VariantMedia:
		m.Media = &loadMedia
	default:
		m.Kind, m.Text = dialect.KindText, text
	}
	return m
}

// fill makes t the request r, its fragment naming r's operation code and
// reference.
func (g *Generator) fill(t *vegeta.Target, r dialect.Request, code byte, ref string) {
	t.Method, t.Body = r.Method, r.Body
	t.URL = g.url(r.Path)
	if code != codeOther {
		t.URL += "#" + string(code) + ref
	}
	t.Header = g.header(r.ContentType)
	if len(r.Header) > 0 {
		h := t.Header.Clone()
		for k, v := range r.Header {
			h[k] = v
		}
		t.Header = h
	}
}

// url is the full URL of a request path; the last one is kept, since most
// requests of a run go to the same path.
func (g *Generator) url(path string) string {
	if last := g.lastURL.Load(); last != nil && last.path == path {
		return last.url
	}
	u := g.base + "/" + strings.TrimPrefix(path, "/")
	g.lastURL.Store(&pathURL{path: path, url: u})
	return u
}

// Reference is the unique reference of request n.
func (g *Generator) Reference(n uint64) string {
	ref, _ := g.reference(n, false)
	return ref
}

// textPrefix starts the text of a text message: its reference follows.
const textPrefix = "wabcheck load "

// reference is request n's reference and, with withText, the text that
// carries it ("wabcheck load <ref>"), made in one allocation.
func (g *Generator) reference(n uint64, withText bool) (ref, text string) {
	var a [96]byte
	b := a[:0]
	if withText {
		b = append(b, textPrefix...)
	}
	b = strconv.AppendUint(append(b, g.refPrefix...), n, 10)
	s := string(b)
	if withText {
		return s[len(textPrefix):], s
	}
	return s, ""
}

// Destination is the i-th number of this shard's slice, wrapping around.
func (g *Generator) Destination(i uint64) uint64 { return g.destFirst + i%g.destCount }

// number is an E.164 number with its "+".
func number(n uint64) string {
	var b [24]byte
	return string(strconv.AppendUint(append(b[:0], '+'), n, 10))
}

// fragmentOf returns the operation code and reference a result URL's
// fragment carries (0 and "" when it has none).
func fragmentOf(url string) (byte, string) {
	i := strings.LastIndexByte(url, '#')
	if i < 0 || i+1 >= len(url) {
		return 0, ""
	}
	return url[i+1], url[i+2:]
}

// ReferenceOf returns the reference carried in a result URL's fragment.
func ReferenceOf(url string) string {
	_, ref := fragmentOf(url)
	return ref
}

// Recent is a small ring of recently accepted message ids for "get".
// Ids older than recentMaxAge are not handed out while younger ones exist:
// the in-process simulator forgets finished messages after simMessageTTL.
// With forget set, an id that left the ring is passed to forget once grace
// has passed since (a retrieve built from it before it left has been
// answered, or has timed out, by then).
type Recent struct {
	mu  sync.Mutex
	ids [1024]string
	at  [1024]int64 // unix nanoseconds of Put
	n   uint64
	// now is the clock; nil means time.Now.
	now func() time.Time

	forget  func(id string)
	grace   time.Duration
	evicted []evictedID // ids that left the ring, oldest first, from head on
	head    int
}

// evictedID is an id that left Recent's ring, and when (unix nanoseconds).
type evictedID struct {
	id string
	at int64
}

// NewRecent is a Recent that passes each id to forget grace after it left
// the ring (forget nil: none).
func NewRecent(forget func(id string), grace time.Duration) *Recent {
	return &Recent{forget: forget, grace: grace}
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
	defer r.mu.Unlock()
	i := r.n % uint64(len(r.ids))
	if r.forget != nil && r.n >= uint64(len(r.ids)) {
		r.evicted = append(r.evicted, evictedID{r.ids[i], now})
	}
	r.ids[i], r.at[i] = id, now
	r.n++
	r.forgetDue(now)
}

// forgetDue passes to forget the ids that left the ring grace ago or
// earlier; r.mu is held.
func (r *Recent) forgetDue(now int64) {
	for r.head < len(r.evicted) && now-r.evicted[r.head].at >= int64(r.grace) {
		r.forget(r.evicted[r.head].id)
		r.evicted[r.head] = evictedID{}
		r.head++
	}
	if r.head == len(r.evicted) {
		r.evicted, r.head = r.evicted[:0], 0
	} else if r.head >= 1024 && r.head*2 >= len(r.evicted) {
		n := copy(r.evicted, r.evicted[r.head:])
		clear(r.evicted[n:])
		r.evicted, r.head = r.evicted[:n], 0
	}
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
