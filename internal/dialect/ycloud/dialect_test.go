package ycloud

import (
	"context"
	"slices"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// The dialect is registered as "ycloud" with the capabilities YCloud's
// WhatsApp API has, and none it lacks.
func TestRegisteredWithItsCapabilities(t *testing.T) {
	d, err := dialect.Get("ycloud")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{dialect.CapSend, dialect.CapRetrieve, dialect.CapMarkRead, dialect.CapWebhooks, dialect.CapSigned}
	if got := dialect.Capabilities(d); !slices.Equal(got, want) {
		t.Errorf("capabilities %v, want %v", got, want)
	}
	info := d.Info()
	if info.Name != Name || len(info.Credentials) != 1 || info.Credentials[0] != dialect.FieldAPIKey ||
		info.SimRecipient == "" || info.SimSender == "" || !slices.Equal(info.SendVias, []string{"direct"}) {
		t.Errorf("info %+v", info)
	}
}

// The embedded spec loads with the shipped errata applied by default: its
// title and version are the ones Source names.
func TestSpecLoadsWithErrata(t *testing.T) {
	doc := MustDoc()
	if doc.T.Info.Title != Source.Title || doc.T.Info.Version != Source.Version {
		t.Errorf("spec info %q %q, Source %q %q", doc.T.Info.Title, doc.T.Info.Version, Source.Title, Source.Version)
	}
	if doc.Errata.Strict() || len(doc.Errata.Unmatched) != 0 {
		t.Errorf("errata: %+v", doc.Errata)
	}
	if doc.BasePath() != "/v2" {
		t.Errorf("base path %q", doc.BasePath())
	}
}

func TestAuthIsTheAPIKeyHeader(t *testing.T) {
	a, err := New().NewAuth(dialect.Credentials{APIKey: "k3y"}, dialect.AuthEnv{})
	if err != nil {
		t.Fatal(err)
	}
	name, value, err := a.Credential(context.Background())
	if err != nil || name != "X-Api-Key" || value != "k3y" {
		t.Errorf("credential %s=%s, %v", name, value, err)
	}
	if n, v := a.Wrong(); n != "X-Api-Key" || v == "k3y" {
		t.Errorf("wrong credential %s=%s", n, v)
	}
	if !slices.Equal(a.Headers(), []string{"X-Api-Key"}) {
		t.Errorf("headers %v", a.Headers())
	}
}

// Five statuses, the spec's enum, with no order promised.
func TestStatusModel(t *testing.T) {
	m := New().Statuses()
	spec := MustDoc().T.Components.Schemas["WhatsappMessageStatus"].Value.Enum
	var enum []string
	for _, e := range spec {
		enum = append(enum, e.(string))
	}
	if got := m.Names(); !slices.Equal(got, enum) {
		t.Errorf("statuses %v, spec enum %v", got, enum)
	}
	if m.Ordered || m.Accepted != Accepted || m.FinalNames() != "failed, delivered or read" {
		t.Errorf("model: ordered %v, accepted %q, finals %q", m.Ordered, m.Accepted, m.FinalNames())
	}
	if !m.IsFailure(Failed) || m.IsFinal(Sent) || m.IsFinal(Accepted) {
		t.Error("failed is the failure; sent and accepted are not final")
	}
	delivered, _ := m.Lookup(Delivered)
	sent, _ := m.Lookup(Sent)
	if !m.Follows(delivered, sent) {
		t.Error("sent after delivered is lawful for YCloud")
	}
	if l, _ := m.Latest([]string{Delivered, Sent, Read, Sent}); l.Name != Read {
		t.Errorf("latest of delivered, sent, read = %s", l.Name)
	}
	for _, seen := range [][]string{{Sent, Failed}, {Failed, Sent}, {Delivered, Failed}, {Failed, Delivered}} {
		if l, _ := m.Latest(seen); l.Name != Failed {
			t.Errorf("latest of %v = %s, want failed (as a retrieve reports it)", seen, l.Name)
		}
	}
}

func TestRateLimitModel(t *testing.T) {
	rl := New().RateLimit()
	if rl.LimitHeader != "" || rl.RetryAfter != nil || rl.Documented != 200 {
		t.Errorf("rate limit %+v", rl)
	}
}
