package sim

import (
	"fmt"
	"time"
)

// Phase names the lifecycle delay before a step (Config.Lifecycle).
type Phase uint8

// The phases, in the order a message goes through them.
const (
	PhaseSubmit  Phase = iota // accepted → handed to the network (Modica submitted)
	PhaseSend                 // → sent
	PhaseDeliver              // → delivered (or expired)
	PhaseRead                 // → read
)

// Step is one status change of a walk.
type Step struct {
	// Status is the status reached.
	Status string
	// Phase is the delay before it.
	Phase Phase
}

// Walk is a path a message takes after it was accepted.
type Walk struct {
	// Name names it in the admin API ("delivered", "failed").
	Name  string
	Steps []Step
}

// Walks are a wire's lifecycle paths.
type Walks struct {
	// Delivered is the ordinary path: it ends delivered (a read may
	// follow, see ReadStep). Read is the path of messages the recipient
	// reads (ReadRatio).
	Delivered, Read *Walk
	// ReadStep is the step a read (the admin API's, or a mark-as-read)
	// adds once the message is delivered; zero for a vendor that reports
	// no read status (MarkRead then answers ReadUnsupported).
	ReadStep Step
	// DeliveredStatus is the status after which a read may follow.
	DeliveredStatus string
	// Hold is the status a reorder (the dlr-out-of-order fault, or lawful
	// disorder) posts after the one that follows it, and a lawful skip
	// never posts ("sent").
	Hold string
	// Failures are the random failure paths by ratio: "fail" (FailRatio),
	// "reject" (RejectRatio), "expire" (ExpireRatio). A wire without one
	// leaves it out; its ratio must then stay 0.
	Failures map[string]*Walk
	// Magic maps magic recipient numbers to their paths.
	Magic map[string]*Walk
	// Rules pick the paths of recipients beyond the magic numbers, by a
	// property of the number (the on-premises client fails a message to a
	// number that cannot be a WhatsApp user): the first rule that matches
	// wins, after Magic and before the ratios.
	Rules []WalkRule
	// Disorder is the vendor's lawful disorder, on by default for vendors
	// that promise no order (zero for Modica).
	Disorder Disorder
}

// WalkRule sends the messages to recipients Match accepts down Walk.
type WalkRule struct {
	// Match reports whether a recipient (E.164 with "+", as Message.To)
	// takes Walk; it must be cheap and safe for concurrent use.
	Match func(to string) bool
	Walk  *Walk
}

// Disorder is lawful behaviour of vendors that give no ordering guarantee
// and deliver at least once: the share of messages with a duplicated
// status callback, with two status callbacks swapped, and with an
// intermediate status never reported.
type Disorder struct {
	Duplicate float64 `json:"duplicate"`
	Reorder   float64 `json:"reorder"`
	Skip      float64 `json:"skip"`
}

func (d Disorder) validate() error {
	for _, r := range []struct {
		name string
		v    float64
	}{{"Duplicate", d.Duplicate}, {"Reorder", d.Reorder}, {"Skip", d.Skip}} {
		if !(r.v >= 0 && r.v <= 1) {
			return fmt.Errorf("sim config: Disorder.%s %v must be within [0, 1]", r.name, r.v)
		}
	}
	return nil
}

// ratios are the run-time changeable random fates.
type ratios struct {
	read, fail, reject, expire float64
}

// choose picks the walk for a recipient: a magic number's, else the
// first matching rule's, else one drawn from the configured ratios with u, v uniform in [0, 1).
func (w *Walks) choose(to string, r ratios, u, v float64) *Walk {
	if m, ok := w.Magic[to]; ok {
		return m
	}
	for _, r := range w.Rules {
		if r.Match(to) {
			return r.Walk
		}
	}
	switch {
	case u < r.fail:
		return w.Failures["fail"]
	case u < r.fail+r.reject:
		return w.Failures["reject"]
	case u < r.fail+r.reject+r.expire:
		return w.Failures["expire"]
	}
	if v < r.read {
		return w.Read
	}
	return w.Delivered
}

// check reports a walk set the core cannot use.
func (w *Walks) check(m statusIndexer) error {
	if w.Delivered == nil || w.Read == nil || len(w.Delivered.Steps) == 0 {
		return fmt.Errorf("sim: the wire's walks need Delivered and Read paths")
	}
	all := []*Walk{w.Delivered, w.Read}
	if w.ReadStep != (Step{}) {
		all = append(all, &Walk{Name: "read step", Steps: []Step{w.ReadStep}})
	}
	for _, x := range w.Failures {
		all = append(all, x)
	}
	for _, x := range w.Magic {
		all = append(all, x)
	}
	for i, r := range w.Rules {
		if r.Match == nil || r.Walk == nil || len(r.Walk.Steps) == 0 {
			return fmt.Errorf("sim: walk rule %d needs Match and a Walk with steps", i)
		}
		all = append(all, r.Walk)
	}
	for _, x := range all {
		for _, st := range x.Steps {
			if _, ok := m.Index(st.Status); !ok {
				return fmt.Errorf("sim: walk %q: status %q is not in the dialect's status model", x.Name, st.Status)
			}
		}
	}
	if _, ok := m.Index(w.DeliveredStatus); !ok {
		return fmt.Errorf("sim: DeliveredStatus %q is not in the dialect's status model", w.DeliveredStatus)
	}
	return w.Disorder.validate()
}

// statusIndexer is the part of dialect.StatusModel the walks need.
type statusIndexer interface {
	Index(name string) (uint8, bool)
}

// stepDelay is the base delay of a phase.
func (l Lifecycle) stepDelay(p Phase) time.Duration {
	switch p {
	case PhaseSubmit:
		return l.Submit
	case PhaseSend:
		return l.Send
	case PhaseDeliver:
		return l.Deliver
	case PhaseRead:
		return l.Read
	}
	return 0
}
