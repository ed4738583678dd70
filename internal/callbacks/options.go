package callbacks

import (
	"fmt"
	"math"
	"time"
)

// Defaults of the receiver's bounds (Options fields left 0).
const (
	// DefaultMaxKeptBody is the bytes of a callback body kept on its Event.
	DefaultMaxKeptBody = 4 << 10
	// DefaultMaxKeptHeader is the bytes of header names and values kept.
	DefaultMaxKeptHeader = 4 << 10
	// DefaultMaxPerMessage is the DLRs kept per message id.
	DefaultMaxPerMessage = 100
	// DefaultMaxUnknown is the callbacks for unknown ids or without a
	// usable id kept in full (Unknown); the rest are counted.
	DefaultMaxUnknown = 1000
	// DefaultMaxPending is the ids not (yet) expected the receiver tracks,
	// so that a DLR arriving before its send's 202 is correlated.
	DefaultMaxPending = 10_000
	// DefaultMaxReplies is the MO callbacks kept (Replies).
	DefaultMaxReplies = 1000
	// DefaultRemember is the settled messages remembered for late DLRs
	// (16 bytes each) when Settle is on.
	DefaultRemember = 1 << 20
	// maxRemember bounds Options.Remember (4 GiB of table).
	maxRemember = 1 << 28
)

// Bounds on single fields of a callback that are kept: longer ids make a
// callback one without a usable id; longer references, statuses and paths
// are cut.
const (
	maxIDLen        = 256
	maxFieldLen     = 256
	maxKeptFindings = 16
	// maxOtherStatuses bounds the distinct unknown status values counted by
	// name per shard; the rest count under otherStatuses.
	maxOtherStatuses = 16
	otherStatuses    = "(other unknown statuses)"
)

// Options configures a Receiver. The zero value validates every callback,
// keeps redacted headers but not bodies, keeps every message for the run,
// and applies the default bounds.
type Options struct {
	// Now returns the arrival time of a callback; time.Now when nil.
	Now func() time.Time
	// KeepBodies keeps each callback's body (up to MaxKeptBody) on its
	// Event.
	KeepBodies bool
	// Lean keeps no per-callback headers, only per-message accounting and
	// findings: for load runs with millions of messages.
	Lean bool
	// ValidateSample is the share of callbacks validated against the spec:
	// 0 (unset) or 1 validates all, 0.1 every tenth, a negative value none.
	ValidateSample float64
	// Secret verifies the signatures of a vendor that signs its callbacks
	// (YCloud's whsec_…, the Cloud API's app secret); "" checks none. It
	// is never printed or kept anywhere else.
	Secret string
	// MaxBody bounds a callback body read in bytes (larger: 413); 0 means
	// 1 MiB.
	MaxBody int64

	// The bounds below keep a hostile sender from filling memory: every
	// callback is counted, but only so much of them is kept. 0 means the
	// Default…, a negative value keeps none.

	// MaxKeptBody is the bytes of a body kept (with KeepBodies); the rest
	// is counted in Event.Cut.
	MaxKeptBody int
	// MaxKeptHeader is the bytes of header names and values kept.
	MaxKeptHeader int
	// MaxPerMessage is the DLRs kept per message id; later ones are
	// counted (and still checked for duplicates and order).
	MaxPerMessage int
	// MaxUnknown is the callbacks for unknown ids, or without a usable id,
	// kept for Unknown.
	MaxUnknown int
	// MaxPending is the ids not (yet) expected that are tracked (a DLR may
	// beat its send's 202); DLRs for further unexpected ids are counted as
	// unknown at once.
	MaxPending int
	// MaxReplies is the MO callbacks kept for Replies and WaitReply.
	MaxReplies int

	// Settle, when positive, bounds memory by messages in flight (load): a
	// message leaves the table Settle after its first final DLR, and an id
	// that was never expected is counted unknown Settle after its first
	// DLR. Later DLRs of a settled message are counted as late (and as
	// duplicates or illegal transitions) from a fixed-size table of
	// settled messages. 0 keeps every message for the run (conform, whose
	// scenarios read Events and Wait).
	Settle time.Duration
	// Remember is the number of settled messages that table holds (16
	// bytes each); the oldest are forgotten beyond it, and their later DLRs
	// count as unknown. 0 means DefaultRemember.
	Remember int
}

// Validate names the first field with an impossible value.
func (o Options) Validate() error {
	switch {
	case math.IsNaN(o.ValidateSample) || math.IsInf(o.ValidateSample, 0):
		return fmt.Errorf("callbacks: ValidateSample %v: want a number", o.ValidateSample)
	case o.Settle < 0:
		return fmt.Errorf("callbacks: Settle %v: want 0 (keep messages for the run) or a positive window", o.Settle)
	case o.Remember > maxRemember:
		return fmt.Errorf("callbacks: Remember %d: at most %d", o.Remember, maxRemember)
	case o.MaxBody < 0:
		return fmt.Errorf("callbacks: MaxBody %d: want 0 (1 MiB) or a positive number of bytes", o.MaxBody)
	}
	return nil
}

// withDefaults fills unset fields and turns "keep none" (negative) into 0.
func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ValidateSample == 0 || math.IsNaN(o.ValidateSample) {
		o.ValidateSample = 1
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 1 << 20
	}
	o.Settle = max(o.Settle, 0)
	o.Remember = min(o.Remember, maxRemember)
	for _, f := range []struct {
		v   *int
		def int
	}{{&o.MaxKeptBody, DefaultMaxKeptBody}, {&o.MaxKeptHeader, DefaultMaxKeptHeader}, {&o.MaxPerMessage, DefaultMaxPerMessage},
		{&o.MaxUnknown, DefaultMaxUnknown}, {&o.MaxPending, DefaultMaxPending}, {&o.MaxReplies, DefaultMaxReplies},
		{&o.Remember, DefaultRemember}} {
		switch {
		case *f.v == 0:
			*f.v = f.def
		case *f.v < 0:
			*f.v = 0
		}
	}
	return o
}
