package modicasim

import (
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// Magic destination numbers select a message's fate deterministically, like
// a payment sandbox's test cards. They are documented in docs/simulator.md;
// the Modica features rely on them.
const (
	// MagicRejected: the carrier rejects the message (DLR rejected).
	MagicRejected = "+64210000001"
	// MagicFailed: submitted, then failed.
	MagicFailed = "+64210000002"
	// MagicExpired: submitted, sent, then expired (recipient unreachable).
	MagicExpired = "+64210000003"
	// MagicDead: submitted, then dead.
	MagicDead = "+64210000004"
	// MagicFrozen: submitted, frozen, then sent and received.
	MagicFrozen = "+64210000005"
	// MagicRead: submitted, sent, received, then read by the recipient.
	MagicRead = "+64210000006"
	// MagicRefused: refused at submission: a single send answers 422 naming
	// the destination; in a broadcast that item has status failed.
	MagicRefused = "+64210000009"
)

func step(st string, p sim.Phase) sim.Step { return sim.Step{Status: st, Phase: p} }

// The walks. delivered ends at received; a recipient read appends read.
var (
	submitted    = step(modica.Submitted, sim.PhaseSubmit)
	sent         = step(modica.Sent, sim.PhaseSend)
	received     = step(modica.Received, sim.PhaseDeliver)
	read         = step(modica.Read, sim.PhaseRead)
	walkHappy    = &sim.Walk{Name: "delivered", Steps: []sim.Step{submitted, sent, received}}
	walkRead     = &sim.Walk{Name: "read", Steps: []sim.Step{submitted, sent, received, read}}
	walkRejected = &sim.Walk{Name: "rejected", Steps: []sim.Step{step(modica.Rejected, sim.PhaseSubmit)}}
	walkFailed   = &sim.Walk{Name: "failed", Steps: []sim.Step{submitted, step(modica.Failed, sim.PhaseSend)}}
	walkExpired  = &sim.Walk{Name: "expired", Steps: []sim.Step{submitted, sent, step(modica.Expired, sim.PhaseDeliver)}}
	walkDead     = &sim.Walk{Name: "dead", Steps: []sim.Step{submitted, step(modica.Dead, sim.PhaseSend)}}
	walkFrozen   = &sim.Walk{Name: "frozen", Steps: []sim.Step{submitted, step(modica.Frozen, sim.PhaseSend), sent, received}}
)

// Walks implements sim.Wire.
func (*api) Walks() sim.Walks {
	return sim.Walks{
		Delivered: walkHappy, Read: walkRead, ReadStep: read,
		DeliveredStatus: modica.Received, Hold: modica.Sent,
		Failures: map[string]*sim.Walk{"fail": walkFailed, "reject": walkRejected, "expire": walkExpired},
		Magic: map[string]*sim.Walk{MagicRejected: walkRejected, MagicFailed: walkFailed, MagicExpired: walkExpired,
			MagicDead: walkDead, MagicFrozen: walkFrozen, MagicRead: walkRead},
	}
}
