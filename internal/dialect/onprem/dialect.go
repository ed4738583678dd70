package onprem

import (
	"net/http"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem/onpremspec"
	"github.com/wabcheck/wabcheck/spec"
)

// Name is the dialect's --vendor value.
const Name = "onprem"

// DocumentedThroughput is the documented message throughput of a business
// number, in messages per second (Meta, "Throughput"; error 130429 beyond).
const DocumentedThroughput = 80

// Dialect is the on-premises WhatsApp Business API dialect. Its zero value
// is not usable: use New.
type Dialect struct {
	statuses *dialect.StatusModel
	cb       callbackModel
}

func init() { dialect.Register(New()) }

// New returns the on-premises dialect.
func New() *Dialect { return &Dialect{statuses: statusModel()} }

// Info implements dialect.Dialect.
func (*Dialect) Info() dialect.Info {
	return dialect.Info{
		Name:          Name,
		Title:         "WhatsApp Business API (on-premises client)",
		Docs:          "https://developers.facebook.com/docs/whatsapp/on-premises",
		Credentials:   []dialect.CredentialField{dialect.FieldUser, dialect.FieldPassword},
		ExampleTarget: "https://your-webapp-hostname:9090/v1",
		SimRecipient:  "+16315550100",
		SimSender:     "+16505551000",
	}
}

// Spec implements dialect.Dialect.
func (*Dialect) Spec() spec.Source { return onpremspec.Source }

// Statuses implements dialect.Dialect.
func (d *Dialect) Statuses() *dialect.StatusModel { return d.statuses }

// Callbacks implements dialect.Dialect.
func (d *Dialect) Callbacks() dialect.CallbackModel { return d.cb }

// RateLimit implements dialect.Dialect: no advertised limit header, no
// Retry-After; the documented throughput is 80 messages per second per
// business number; a send over it (error 130429) or over the pair rate
// limit (131056) is answered 400 with Meta's error body.
func (*Dialect) RateLimit() dialect.RateLimitModel {
	return dialect.RateLimitModel{Documented: DocumentedThroughput, Refusal: rateRefusal}
}

// rateRefusal reports whether an answer is a rate-limit refusal: 400
// naming 130429 or 131056.
func rateRefusal(status int, body []byte) bool {
	return status == http.StatusBadRequest && (HasCode(body, CodeThroughput) || HasCode(body, CodePairRate))
}
