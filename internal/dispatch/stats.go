package dispatch

// Stats is a snapshot of a Dispatcher's counters.
type Stats struct {
	// Enqueued counts accepted deliveries.
	Enqueued uint64 `json:"enqueued"`
	// Delivered counts deliveries answered with a 2xx.
	Delivered uint64 `json:"delivered"`
	// Attempts counts HTTP attempts, retries included.
	Attempts uint64 `json:"attempts"`
	// Retried counts failed attempts that were scheduled again.
	Retried uint64 `json:"retried"`
	// GivenUp counts deliveries abandoned after MaxAttempts.
	GivenUp uint64 `json:"given_up"`
	// Dropped counts TryEnqueue refusals because the queue was full.
	Dropped uint64 `json:"dropped"`
	// Rejected counts deliveries refused for an unusable URL or because
	// the Dispatcher was closed.
	Rejected uint64 `json:"rejected"`
	// QueueDepth is the number of accepted deliveries not in flight:
	// waiting for a worker, behind their key's head, or backing off.
	QueueDepth int `json:"queue_depth"`
	// InFlight is the number of attempts under way.
	InFlight int `json:"in_flight"`
	// BackingOff is the number of deliveries waiting for a retry.
	BackingOff int `json:"backing_off"`
	// ByKind splits the counters by Delivery.Kind ("status", "reply").
	ByKind map[string]KindStats `json:"by_kind"`
}

// KindStats are the counters of one Delivery.Kind.
type KindStats struct {
	Enqueued  uint64 `json:"enqueued"`
	Delivered uint64 `json:"delivered"`
	Attempts  uint64 `json:"attempts"`
	Retried   uint64 `json:"retried"`
	GivenUp   uint64 `json:"given_up"`
	Dropped   uint64 `json:"dropped"`
}

// kindCounters are guarded by Dispatcher.mu; totals are their sums.
type kindCounters struct {
	KindStats
	name string
}

// Stats returns a snapshot of the counters.
func (d *Dispatcher) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := Stats{
		Rejected:   d.rejected,
		QueueDepth: d.outstanding - d.inFlight,
		InFlight:   d.inFlight,
		BackingOff: len(d.timers),
		ByKind:     make(map[string]KindStats, len(d.kinds)),
	}
	for name, k := range d.kinds {
		s.ByKind[name] = k.KindStats
		s.Enqueued += k.Enqueued
		s.Delivered += k.Delivered
		s.Attempts += k.Attempts
		s.Retried += k.Retried
		s.GivenUp += k.GivenUp
		s.Dropped += k.Dropped
	}
	return s
}

// kind returns the counters for name, creating them. Callers hold d.mu.
func (d *Dispatcher) kind(name string) *kindCounters {
	k, ok := d.kinds[name]
	if !ok {
		k = &kindCounters{name: name}
		d.kinds[name] = k
	}
	return k
}
