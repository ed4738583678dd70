package ycloud

import (
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/spec"
)

// Name is the dialect's --vendor value.
const Name = "ycloud"

// Source is the YCloud API v2 spec with the errata overlay written for it
// (Title and Version are the spec's info.title and info.version).
var Source = spec.Source{
	Name:    "ycloud-api-v2.yaml",
	Errata:  "ycloud-api-v2.errata.yaml",
	Title:   "YCloud API",
	Version: "v2",
}

// The simulator's numbers (docs/simulator.md): an ordinary recipient whose
// messages are delivered and never read, and the business number.
const (
	SimRecipient = "+16315550100"
	SimSender    = "+16315551111"
)

// Dialect is the YCloud dialect. Its zero value is not usable: use New.
type Dialect struct {
	statuses *dialect.StatusModel
}

func init() { dialect.Register(New()) }

// New returns the YCloud dialect.
func New() *Dialect { return &Dialect{statuses: statusModel()} }

// Info implements dialect.Dialect.
func (*Dialect) Info() dialect.Info {
	return dialect.Info{
		Name:          Name,
		Title:         "YCloud API v2 (WhatsApp)",
		Docs:          "https://docs.ycloud.com/",
		Credentials:   []dialect.CredentialField{dialect.FieldAPIKey},
		ExampleTarget: "https://api.ycloud.com/v2",
		SimRecipient:  SimRecipient,
		SimSender:     SimSender,
		SendVias:      []string{ViaDirect},
	}
}

// Spec implements dialect.Dialect.
func (*Dialect) Spec() spec.Source { return Source }

// NewAuth implements dialect.Dialect: the API key in X-API-Key.
func (*Dialect) NewAuth(c dialect.Credentials, _ dialect.AuthEnv) (dialect.Auth, error) {
	return dialect.NewHeaderKeyAuth(HeaderAPIKey, c.APIKey), nil
}

// Statuses implements dialect.Dialect.
func (d *Dialect) Statuses() *dialect.StatusModel { return d.statuses }

// Callbacks implements dialect.Dialect.
func (*Dialect) Callbacks() dialect.CallbackModel { return callbackModel{} }

// RateLimit implements dialect.Dialect: YCloud advertises no limit and
// promises no Retry-After ("follow it when present"); it documents 200
// requests per second per sender for enqueueing.
func (*Dialect) RateLimit() dialect.RateLimitModel {
	return dialect.RateLimitModel{Documented: EnqueueRate}
}

// Documented limits per sender, in requests per second ("Rate limits",
// https://docs.ycloud.com/en/api-reference/guides/api-fundamentals/rate-limits).
const (
	EnqueueRate = 200
	DirectRate  = 80
)

// HeaderAPIKey carries the API key.
const HeaderAPIKey = "X-API-Key"

// Load loads the YCloud spec: file (or the embedded one when empty) with
// errata (a path, spec.ErrataNone, or "" for the shipped errata).
func Load(file, errata string) (*spec.Doc, error) { return Source.Load(file, errata) }

// MustDoc loads the embedded spec with the shipped errata and panics on
// failure; for tests and benchmarks.
func MustDoc() *spec.Doc { return Source.MustDoc() }

// jsonType is the media type of every YCloud request body.
const jsonType = "application/json"
