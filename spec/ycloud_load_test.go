package spec_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

// ycloudOps are the WhatsApp-part operations the harness drives.
var ycloudOps = map[string]string{
	"/whatsapp/messages":                        "post",
	"/whatsapp/messages/sendDirectly":           "post",
	"/whatsapp/messages/{id}":                   "get",
	"/whatsapp/inboundMessages/{id}/markAsRead": "post",
	"/webhookEndpoints":                         "post",
	"/webhookEndpoints/{id}":                    "delete",
}

// loadYCloud loads path as a --spec file with the given errata and builds a
// validator, failing the test on any error or kin-openapi warning.
func loadYCloud(t *testing.T, path, errata string) *spec.Doc {
	t.Helper()
	d, err := spec.Load(spec.Options{File: path, Errata: errata})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) > 0 {
		t.Fatalf("kin-openapi rejects the document: %q", d.Warnings)
	}
	if _, err := validate.New(d, validate.Dialect(ycloud.New())); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestYCloudSpecLoadsAndBuildsValidator(t *testing.T) {
	d := loadYCloud(t, "ycloud-api-v2.yaml", "")
	if !d.Errata.Strict() {
		t.Errorf("errata applied by default to a non-Modica spec: %s", d.Errata.Summary())
	}
	if got := d.BasePath(); got != "/v2" {
		t.Errorf("BasePath() = %q, want /v2", got)
	}
	for path, method := range ycloudOps {
		item := d.T.Paths.Find(path)
		if item == nil || item.GetOperation(strings.ToUpper(method)) == nil {
			t.Errorf("no %s %s", method, path)
		}
	}
	ev := d.T.Components.Schemas["Event"]
	if ev == nil || ev.Value.Properties["whatsappMessage"] == nil || ev.Value.Properties["whatsappInboundMessage"] == nil {
		t.Error("Event has no whatsappMessage / whatsappInboundMessage")
	}
}

// TestYCloudLoadRejectsMisnesting shows the load check has teeth: the same
// file with one key moved a level out (what a wrong reconstruction does) is
// refused by the YAML parser or by kin-openapi.
func TestYCloudLoadRejectsMisnesting(t *testing.T) {
	data, err := os.ReadFile("ycloud-api-v2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for _, want := range []string{"          content:", "              $ref: '#/components/schemas/WebhookEndpointCreateRequest'"} {
		t.Run(strings.TrimSpace(want), func(t *testing.T) {
			broken := append([]string(nil), lines...)
			i := indexOf(broken, want)
			if i < 0 {
				t.Fatalf("no line %q", want)
			}
			broken[i] = broken[i][2:]
			path := filepath.Join(t.TempDir(), "broken.yaml")
			if err := os.WriteFile(path, []byte(strings.Join(broken, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := spec.Load(spec.Options{File: path})
			if err == nil && len(d.Warnings) == 0 {
				t.Errorf("line %d moved out a level: loads without error or warning", i+1)
			}
		})
	}
}

func indexOf(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

func TestYCloudErrataLoadAndBuildValidator(t *testing.T) {
	d := loadYCloud(t, "ycloud-api-v2.yaml", "ycloud-api-v2.errata.yaml")
	if len(d.Errata.Applied) == 0 || len(d.Errata.Unmatched) > 0 {
		t.Errorf("errata: %s; unmatched %+v", d.Errata.Summary(), d.Errata.Unmatched)
	}
	if d.Errata.Source != "ycloud-api-v2.errata.yaml" {
		t.Errorf("errata source %q", d.Errata.Source)
	}
}
