package onpremsim

import (
	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// Magic recipient numbers select a message's fate deterministically. They
// are documented in docs/simulator.md.
const (
	// MagicRead: sent, delivered, then read by the recipient.
	MagicRead = "+16315550001"
	// MagicUndeliverable: sent, then failed with error 131026 (Message
	// Undeliverable).
	MagicUndeliverable = "+16315550002"
	// MagicWindowClosed: failed at once with error 131047 (Re-engagement
	// message: the 24-hour window is closed).
	MagicWindowClosed = "+16315550003"
	// MagicWarning: sent, a warning status (a catalog item is not
	// available), then delivered.
	MagicWarning = "+16315550004"
	// MagicProcessing: the contacts check says processing (sends go
	// through as usual).
	MagicProcessing = "+16315550008"
	// MagicInvalid: not a WhatsApp user: the contacts check says invalid;
	// a send is accepted and fails with error 131026, as a send to any
	// number that cannot be a WhatsApp user does (see notAUser).
	MagicInvalid = "+16315550009"
)

// Walk names whose failed status carries an error.
const (
	walkNameUndeliverable = "undeliverable"
	walkNameWindowClosed  = "window-closed"
	walkNameNotAUser      = "not-a-user"
)

func step(st string, p sim.Phase) sim.Step { return sim.Step{Status: st, Phase: p} }

var (
	stSent          = step(onprem.Sent, sim.PhaseSend)
	stDelivered     = step(onprem.Delivered, sim.PhaseDeliver)
	stRead          = step(onprem.Read, sim.PhaseRead)
	walkDelivered   = &sim.Walk{Name: "delivered", Steps: []sim.Step{stSent, stDelivered}}
	walkRead        = &sim.Walk{Name: "read", Steps: []sim.Step{stSent, stDelivered, stRead}}
	walkUndelivered = &sim.Walk{Name: walkNameUndeliverable, Steps: []sim.Step{stSent, step(onprem.Failed, sim.PhaseDeliver)}}
	walkWindow      = &sim.Walk{Name: walkNameWindowClosed, Steps: []sim.Step{step(onprem.Failed, sim.PhaseSend)}}
	walkWarning     = &sim.Walk{Name: "warning", Steps: []sim.Step{stSent, step(onprem.Warning, sim.PhaseDeliver), stDelivered}}
	walkNotAUser    = &sim.Walk{Name: walkNameNotAUser, Steps: []sim.Step{step(onprem.Failed, sim.PhaseSend)}}
)

// notAUser reports whether a recipient (E.164 with "+") cannot be a
// WhatsApp user: MagicInvalid, fewer than 8 or more than 15 digits, or a
// leading 0 (no country calling code starts with 0, so "0211234567" is a
// national number without its country). The client takes such a send
// (since v2.39 no contacts check is needed first, and since v2.43 the
// check calls every number valid), then fails it with a status carrying
// error 131026, Message Undeliverable, whose reasons Meta lists as "the
// recipient phone number is not a WhatsApp phone number". A to without
// digits (a group id, "wabcheck") is taken and failed alike.
func notAUser(to string) bool {
	id := onprem.WAID(to)
	return to == MagicInvalid || len(id) < 8 || len(id) > 15 || id[0] == '0'
}

// defaultDisorder is the client's lawful disorder: no ordering guarantee,
// at-least-once delivery. A duplicate repeats a message's final status; a
// reorder posts read before delivered; a skip never posts the delivered
// that a read implies (Meta: read implies delivered, which may not come).
var defaultDisorder = sim.Disorder{Duplicate: 0.02, Reorder: 0.1, Skip: 0.1}

// Walks implements sim.Wire. FailRatio picks the undeliverable path,
// RejectRatio the closed-window one; the client has no expiry status. A
// recipient that cannot be a WhatsApp user fails at once (notAUser).
func (*api) Walks() sim.Walks {
	return sim.Walks{
		Delivered: walkDelivered, Read: walkRead, ReadStep: stRead,
		DeliveredStatus: onprem.Delivered, Hold: onprem.Delivered,
		Failures: map[string]*sim.Walk{"fail": walkUndelivered, "reject": walkWindow},
		Magic: map[string]*sim.Walk{MagicRead: walkRead, MagicUndeliverable: walkUndelivered,
			MagicWindowClosed: walkWindow, MagicWarning: walkWarning},
		Rules:    []sim.WalkRule{{Match: notAUser, Walk: walkNotAUser}},
		Disorder: defaultDisorder,
	}
}

// failureError is the error a failed status of walk carries.
func failureError(walk string) onprem.APIError {
	code := onprem.CodeUndeliverable
	if walk == walkNameWindowClosed {
		code = onprem.CodeReengagement
	}
	e := onprem.APIError{Code: code, Title: onprem.Title(code)}
	switch walk {
	case walkNameWindowClosed:
		e.Details = "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
	case walkNameNotAUser:
		e.Details = "The recipient phone number is not a WhatsApp phone number."
	}
	return e
}
