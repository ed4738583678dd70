package dialect

// Capability names, as `wabcheck vendors` lists them and skip reasons say.
const (
	CapSend      = "send"
	CapBroadcast = "broadcast"
	CapRetrieve  = "retrieve"
	CapMarkRead  = "mark-read"
	CapMedia     = "media"
	CapHealth    = "health"
	CapWebhooks  = "webhook-registration"
	CapSigned    = "signed-callbacks"
	// CapInbound is inbound (customer) messages: not an interface but
	// the callback model's, see HasInbound.
	CapInbound = "inbound-messages"
)

// HasInbound reports whether d's callbacks bring inbound (customer)
// messages: one of its callback kinds carries EventInbound. A vendor
// that only reports delivery statuses has none, and scenarios about
// inbound messages are skipped for it (Lacks(d, CapInbound)).
func HasInbound(d Dialect) bool {
	for _, k := range d.Callbacks().Kinds() {
		for _, t := range k.Carries {
			if t == EventInbound {
				return true
			}
		}
	}
	return false
}

// Capabilities lists what d can do, in a stable order.
func Capabilities(d Dialect) []string {
	out := []string{CapSend}
	checks := []struct {
		name string
		ok   bool
	}{
		{CapBroadcast, is[Broadcaster](d)},
		{CapRetrieve, is[Retriever](d)},
		{CapMarkRead, is[ReadMarker](d)},
		{CapMedia, is[MediaStore](d)},
		{CapHealth, is[HealthChecker](d)},
		{CapWebhooks, is[WebhookRegistrar](d)},
		{CapSigned, is[Verifier](d)},
	}
	for _, c := range checks {
		if c.ok {
			out = append(out, c.name)
		}
	}
	return out
}

func is[T any](d Dialect) bool {
	_, ok := d.(T)
	return ok
}
