package modica

import (
	"net/http"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/spec"
)

// Name is the dialect's --vendor value.
const Name = "modica"

// Dialect is the Modica dialect. Its zero value is not usable: use New.
type Dialect struct {
	statuses *dialect.StatusModel
	cb       callbackModel
}

func init() { dialect.Register(New()) }

// New returns the Modica dialect.
func New() *Dialect {
	return &Dialect{statuses: statusModel(), cb: callbackModel{ack: http.Header{"X-Ratelimit-Limit": {"100"}}}}
}

// Info implements dialect.Dialect.
func (*Dialect) Info() dialect.Info {
	return dialect.Info{
		Name:          Name,
		Title:         "Modica WhatsApp Business Messaging API v1.2.0",
		Docs:          "https://docs.modicagroup.com/",
		Credentials:   []dialect.CredentialField{dialect.FieldUser, dialect.FieldPassword},
		ExampleTarget: "https://api.modicagroup.com/rest/wab/v1",
		SimRecipient:  "+64211000001",
		SimSender:     "102046588645210",
	}
}

// Spec implements dialect.Dialect.
func (*Dialect) Spec() spec.Source { return modicaspec.Source }

// NewAuth implements dialect.Dialect: HTTP Basic.
func (*Dialect) NewAuth(c dialect.Credentials, _ dialect.AuthEnv) (dialect.Auth, error) {
	return dialect.NewBasicAuth(c.User, c.Password), nil
}

// Statuses implements dialect.Dialect.
func (d *Dialect) Statuses() *dialect.StatusModel { return d.statuses }

// Callbacks implements dialect.Dialect.
func (d *Dialect) Callbacks() dialect.CallbackModel { return d.cb }

// RateLimit implements dialect.Dialect: X-RateLimit-Limit (at most 100 by
// the spec) on every response, Retry-After 10–1000 s on every 429.
func (*Dialect) RateLimit() dialect.RateLimitModel {
	return dialect.RateLimitModel{LimitHeader: "X-RateLimit-Limit", LimitMax: 100,
		RetryAfter: &dialect.Range{Min: 10, Max: 1000}}
}
