package dialect

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/wabcheck/wabcheck/spec"
)

// Dialect is one vendor's API as the harness needs to know it. The methods
// here are what every dialect has; capabilities beyond sending a message
// are optional interfaces (Broadcaster, Retriever, ReadMarker, MediaStore,
// HealthChecker, WebhookRegistrar, Verifier) checked with a type assertion.
type Dialect interface {
	// Info names and describes the dialect.
	Info() Info
	// Spec is the dialect's contract: the embedded spec and its errata.
	Spec() spec.Source
	// NewAuth returns the authorizer for creds against the API at env.BaseURL.
	NewAuth(creds Credentials, env AuthEnv) (Auth, error)
	// Statuses is the delivery-status model.
	Statuses() *StatusModel
	// Callbacks is the callback (webhook) model.
	Callbacks() CallbackModel
	// RateLimit is the rate-limit contract.
	RateLimit() RateLimitModel
	// Sender builds send requests and reads their answers.
	Sender
}

// Info describes a dialect for `wabcheck vendors`, reports and errors.
type Info struct {
	// Name is the stable --vendor value ("modica").
	Name string `json:"name"`
	// Title is the API's name and version as its spec gives it.
	Title string `json:"title"`
	// Docs is the vendor's public API documentation.
	Docs string `json:"docs,omitempty"`
	// Credentials lists the credentials a real target needs.
	Credentials []CredentialField `json:"credentials"`
	// ExampleTarget is a base URL shown in help texts.
	ExampleTarget string `json:"example_target,omitempty"`
	// SimRecipient is an ordinary (delivered, never read) number of the
	// dialect's simulator, the default test recipient against it.
	SimRecipient string `json:"sim_recipient"`
	// SimSender is the business number the simulator sends from.
	SimSender string `json:"sim_sender,omitempty"`
	// SendVias lists the Message.Via values the dialect knows besides "".
	SendVias []string `json:"send_vias,omitempty"`
}

// registry holds the registered dialects. Registration happens in package
// init functions, before main runs; after that it is only read.
var registry = struct {
	sync.RWMutex
	m map[string]Dialect
}{m: map[string]Dialect{}}

// Register makes d available by its name. It panics when the name is
// empty or taken, as database/sql.Register does: both are programming
// errors found at start-up.
func Register(d Dialect) {
	name := d.Info().Name
	registry.Lock()
	defer registry.Unlock()
	if name == "" || name != strings.ToLower(name) {
		panic(fmt.Sprintf("dialect: Register: bad name %q (want lower case)", name))
	}
	if _, dup := registry.m[name]; dup {
		panic("dialect: Register called twice for " + name)
	}
	registry.m[name] = d
}

// Get returns the dialect registered as name, or an error listing the
// known ones.
func Get(name string) (Dialect, error) {
	registry.RLock()
	d, ok := registry.m[name]
	registry.RUnlock()
	if !ok {
		return nil, fmt.Errorf("unknown vendor %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return d, nil
}

// Names lists the registered dialects, sorted.
func Names() []string {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]string, 0, len(registry.m))
	for n := range registry.m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// All returns the registered dialects sorted by name.
func All() []Dialect {
	var out []Dialect
	for _, n := range Names() {
		d, _ := Get(n)
		out = append(out, d)
	}
	return out
}
