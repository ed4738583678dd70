package sim

import (
	"time"

	"github.com/wabcheck/wabcheck/internal/dlr"
)

// Magic destination numbers select a message's fate deterministically, like
// a payment sandbox's test cards. They are documented in docs/simulator.md;
// conform and load rely on them.
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

// walk is a status sequence a message goes through after accepted.
type walk struct {
	name  string
	steps []dlr.Status
}

// The walks. happy ends at received; a recipient read appends read.
var (
	walkHappy    = &walk{"delivered", []dlr.Status{dlr.Submitted, dlr.Sent, dlr.Received}}
	walkRead     = &walk{"read", []dlr.Status{dlr.Submitted, dlr.Sent, dlr.Received, dlr.Read}}
	walkRejected = &walk{"rejected", []dlr.Status{dlr.Rejected}}
	walkFailed   = &walk{"failed", []dlr.Status{dlr.Submitted, dlr.Failed}}
	walkExpired  = &walk{"expired", []dlr.Status{dlr.Submitted, dlr.Sent, dlr.Expired}}
	walkDead     = &walk{"dead", []dlr.Status{dlr.Submitted, dlr.Dead}}
	walkFrozen   = &walk{"frozen", []dlr.Status{dlr.Submitted, dlr.Frozen, dlr.Sent, dlr.Received}}
)

// magicWalks maps the magic numbers (except MagicRefused) to their walks.
var magicWalks = map[string]*walk{
	MagicRejected: walkRejected,
	MagicFailed:   walkFailed,
	MagicExpired:  walkExpired,
	MagicDead:     walkDead,
	MagicFrozen:   walkFrozen,
	MagicRead:     walkRead,
}

// chooseWalk picks the walk for a destination: a magic number's, else one
// drawn from the configured ratios with u, v uniform in [0, 1).
func chooseWalk(dest string, r ratios, u, v float64) *walk {
	if w, ok := magicWalks[dest]; ok {
		return w
	}
	switch {
	case u < r.fail:
		return walkFailed
	case u < r.fail+r.reject:
		return walkRejected
	case u < r.fail+r.reject+r.expire:
		return walkExpired
	}
	if v < r.read {
		return walkRead
	}
	return walkHappy
}

// ratios are the run-time changeable random fates.
type ratios struct {
	read, fail, reject, expire float64
}

// stepDelay is the base delay before reaching status next.
func (l Lifecycle) stepDelay(next dlr.Status) time.Duration {
	switch next {
	case dlr.Submitted, dlr.Rejected:
		return l.Submit
	case dlr.Sent, dlr.Frozen, dlr.Failed, dlr.Dead:
		return l.Send
	case dlr.Received, dlr.Expired:
		return l.Deliver
	case dlr.Read:
		return l.Read
	}
	return 0
}

// dlrStatusKnown reports whether s is a StatusCallback status.
func dlrStatusKnown(s string) bool { return dlr.Known(dlr.Status(s)) }

// isFinal reports whether a message in status st on walk w has nothing more
// to do: its walk is over and no read is pending.
func isFinal(st dlr.Status, w *walk, step int, readWanted bool) bool {
	if dlr.IsFailure(st) || st == dlr.Read {
		return true
	}
	return step >= len(w.steps) && !(st == dlr.Received && readWanted)
}
