package ycloudsim

import (
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// Magic recipient numbers select a message's fate deterministically, like
// a payment sandbox's test cards. They are documented in docs/simulator.md
// (section YCloud). Any other number takes the ordinary path (sent,
// delivered), or one the ratios pick.
const (
	// MagicFailed: WhatsApp refuses the message: failed right away
	// (errorCode 131026, message undeliverable).
	MagicFailed = "+16315550001"
	// MagicSentFailed: sent, then failed (errorCode 131047, the 24-hour
	// window had closed).
	MagicSentFailed = "+16315550002"
	// MagicStaysSent: sent and nothing more: the recipient blocked the
	// business, and WhatsApp never reports a delivery. No final status
	// follows, lawfully.
	MagicStaysSent = "+16315550003"
	// MagicDeliveredFailed: sent, delivered, then failed (the recipient's
	// other device): both outcomes arrive, lawfully.
	MagicDeliveredFailed = "+16315550004"
	// MagicRead: sent, delivered, then read by the recipient.
	MagicRead = "+16315550006"
	// MagicRefused: sendDirectly answers 400 with the WhatsApp error
	// (131009, parameter value not valid) in error.whatsappApiError;
	// enqueued, the message fails with the same error.
	MagicRefused = "+16315550009"
)

func step(st string, p sim.Phase) sim.Step { return sim.Step{Status: st, Phase: p} }

// The walks. delivered ends at delivered; a recipient read appends read.
var (
	sent                = step(ycloud.Sent, sim.PhaseSend)
	delivered           = step(ycloud.Delivered, sim.PhaseDeliver)
	read                = step(ycloud.Read, sim.PhaseRead)
	walkDelivered       = &sim.Walk{Name: "delivered", Steps: []sim.Step{sent, delivered}}
	walkRead            = &sim.Walk{Name: "read", Steps: []sim.Step{sent, delivered, read}}
	walkFailed          = &sim.Walk{Name: "failed", Steps: []sim.Step{step(ycloud.Failed, sim.PhaseSend)}}
	walkSentFailed      = &sim.Walk{Name: "sent-failed", Steps: []sim.Step{sent, step(ycloud.Failed, sim.PhaseDeliver)}}
	walkStaysSent       = &sim.Walk{Name: "stays-sent", Steps: []sim.Step{sent}}
	walkDeliveredFailed = &sim.Walk{Name: "delivered-failed", Steps: []sim.Step{sent, delivered, step(ycloud.Failed, sim.PhaseRead)}}
	walkRefused         = &sim.Walk{Name: "refused", Steps: []sim.Step{step(ycloud.Failed, sim.PhaseSubmit)}}
)

// DefaultDisorder is YCloud's lawful disorder in the simulator by default:
// the share of messages with a duplicated final event, with delivered
// before sent, and with sent never reported. Config.Disorder (the admin
// API's "disorder") overrides it.
var DefaultDisorder = sim.Disorder{Duplicate: 0.05, Reorder: 0.05, Skip: 0.05}

// Walks implements sim.Wire.
func (*api) Walks() sim.Walks {
	return sim.Walks{
		Delivered: walkDelivered, Read: walkRead, ReadStep: read,
		DeliveredStatus: ycloud.Delivered, Hold: ycloud.Sent,
		Failures: map[string]*sim.Walk{"fail": walkFailed},
		Magic: map[string]*sim.Walk{MagicFailed: walkFailed, MagicSentFailed: walkSentFailed, MagicStaysSent: walkStaysSent,
			MagicDeliveredFailed: walkDeliveredFailed, MagicRead: walkRead, MagicRefused: walkRefused},
		Disorder: DefaultDisorder,
	}
}

// failure is why a message failed: YCloud's errorCode/errorMessage and
// the WhatsApp error behind it.
type failure struct {
	code, message, details string
}

// failures by walk name.
var failures = map[string]*failure{
	walkFailed.Name:          {"131026", "Message undeliverable", "Unable to deliver the message to the recipient."},
	walkSentFailed.Name:      {"131047", "Re-engagement message", "More than 24 hours have passed since the recipient last replied."},
	walkDeliveredFailed.Name: {"131026", "Message undeliverable", "Delivery to one of the recipient's devices failed."},
	walkRefused.Name:         {"131009", "Parameter value is not valid", "The recipient number is not a valid WhatsApp user."},
}

// appendFields appends a failed WhatsappMessage's errorCode, errorMessage
// and whatsappApiError.
func (f *failure) appendFields(b []byte) []byte {
	b = append(b, `,"errorCode":`...)
	b = jsonw.AppendString(b, f.code)
	b = append(b, `,"errorMessage":`...)
	b = jsonw.AppendString(b, f.message)
	b = append(b, `,"whatsappApiError":`...)
	return f.appendAPIError(b)
}

// appendAPIError appends the WhatsappApiError object.
func (f *failure) appendAPIError(b []byte) []byte {
	b = append(b, `{"message":`...)
	b = jsonw.AppendString(b, "("+"#"+f.code+") "+f.message)
	b = append(b, `,"type":"OAuthException","code":`...)
	b = jsonw.AppendString(b, f.code)
	b = append(b, `,"error_data":{"messaging_product":"whatsapp","details":`...)
	b = jsonw.AppendString(b, f.details)
	return append(b, `},"fbtrace_id":"wabcheck-sim"}`...)
}
