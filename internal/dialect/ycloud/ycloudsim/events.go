package ycloudsim

import (
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/dispatch"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// wrongSecret signs events when the bad-signature fault fires.
const wrongSecret = "whsec_00000000000000000000000000000000"

// staleBy is how old the stale-signature fault makes a signature.
const staleBy = 10 * time.Minute

// signing is how the events of one status change or inbound message are
// signed (faults decided once per event).
type signing struct{ missing, bad, stale bool }

// eventSigning decides the signature faults of one event.
func (a *api) eventSigning() signing {
	if !a.s.AnyFault() {
		return signing{}
	}
	return signing{missing: a.s.Hit(a.f.missingSignature), bad: a.s.Hit(a.f.badSignature), stale: a.s.Hit(a.f.staleSignature)}
}

// signer signs an event for endpoint e at each attempt: YCloud-Signature
// with the time of the attempt.
func (sg signing) signer(e *endpoint) func(body []byte, at time.Time) (string, string) {
	if sg.missing {
		return nil
	}
	secret := e.secret
	if sg.bad {
		secret = wrongSecret
	}
	stale := sg.stale
	return func(body []byte, at time.Time) (string, string) {
		t := at.Unix()
		if stale {
			t -= int64(staleBy / time.Second)
		}
		return ycloud.HeaderSignature, string(ycloud.AppendSignature(make([]byte, 0, 80), body, secret, t))
	}
}

// deliveries makes one delivery of body per endpoint.
func (a *api) deliveries(eps []*endpoint, key string, kind string, body []byte, sg signing) []dispatch.Delivery {
	out := make([]dispatch.Delivery, len(eps))
	for i, e := range eps {
		h := e.health
		k := key
		if len(eps) > 1 {
			k = key + "@" + e.id
		}
		out[i] = dispatch.Delivery{Key: k, URL: e.url, Body: body, Kind: kind, Header: e.header, Sign: sg.signer(e),
			Report: func(status int, err error, _ bool) { h.report(status, err, a.s.Now()) }}
	}
	return out
}

// statusEvents builds the whatsapp.message.updated event of m reaching st
// for every endpoint that receives it now.
func (a *api) statusEvents(m *sim.Message, st string) []dispatch.Delivery {
	if a.s.AnyFault() && a.s.Hit(a.f.noEvents) {
		return nil
	}
	now := a.s.Now()
	eps := a.hooks.receiving(ycloud.EventMessageUpdated, now, a.remote.Load())
	if len(eps) == 0 {
		return nil
	}
	body := a.appendStatusEvent(make([]byte, 0, 640+len(m.Body)), m, st)
	return a.deliveries(eps, a.FormatID(m.ID), ycloud.EventMessageUpdated, body, a.eventSigning())
}

// appendStatusEvent appends the Event envelope of m reaching st. Its id
// and times depend only on the message and the status, so an event sent
// twice (at least once delivery) is the same event.
func (a *api) appendStatusEvent(b []byte, m *sim.Message, st string) []byte {
	state := a.s.State(m)
	at := state.Times[st]
	if at == 0 {
		at = state.At
	}
	status, _ := a.d.Statuses().Lookup(st)
	v := msgView{m: m, status: st, at: at, times: state.Times, rank: status.Rank, wamid: true}
	if status.Failure {
		v.fail = failures[state.Walk]
	}
	evType := a.eventFaults(&v)
	b = append(b, `{"id":"evt_`...)
	b = m.ID.AppendHex(b)
	if i, ok := a.d.Statuses().Index(st); ok {
		b = append(b, '_', 'a'+i)
	}
	b = append(b, `","type":"`...)
	b = append(b, evType...)
	b = append(b, `","apiVersion":"v2","createTime":`...)
	b = appendTime(b, at, v.badTimes)
	b = append(b, `,"whatsappMessage":`...)
	b = a.appendMessage(b, &v)
	return append(b, '}')
}

// eventFaults applies the status-event faults to v and returns the event
// type to write.
func (a *api) eventFaults(v *msgView) string {
	if !a.s.AnyFault() {
		return ycloud.EventMessageUpdated
	}
	v.badTimes = a.s.Hit(a.f.nonRFC3339Times)
	if a.s.Hit(a.f.unknownStatus) {
		v.status = "pending"
	}
	if a.s.Hit(a.f.wrongTo) {
		v.to = otherNumber(v.m.To)
	}
	if a.s.Hit(a.f.wrongEventType) {
		return "whatsapp.message.update"
	}
	return ycloud.EventMessageUpdated
}

// otherNumber is a valid E.164 number other than n (fault wrong-to).
func otherNumber(n string) string {
	if len(n) < 2 {
		return "+16315559999"
	}
	last := n[len(n)-1]
	if last == '9' {
		last = '0'
	} else {
		last++
	}
	return n[:len(n)-1] + string(last)
}

// RetrySchedule implements sim.RetryScheduler: YCloud retries a failed
// delivery after 10 s, 30 s, 5 min, 30 min, 1 h, 2 h and 2 h, then drops
// it (help center, "Webhook": "Retry schedule", "Maximum retry count: 7
// times"); the core scales the waits by Config.TimeScale. Eight attempts
// in all: Config.CallbackMaxAttempts' default.
func (*api) RetrySchedule() []time.Duration {
	return []time.Duration{10 * time.Second, 30 * time.Second, 5 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 2 * time.Hour}
}
