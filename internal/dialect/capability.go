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
)

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
