package onpremsim

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/internal/sim/simtest"
)

// TestEveryResponseValid drives every operation and error path and
// validates each answer against the spec with errata: zero findings.
func TestEveryResponseValid(t *testing.T) {
	sm := newSim(t, testConfig())
	d := onprem.New()
	inID, err := sm.InjectInbound(t.Context(), sim.InboundRequest{Type: "text"})
	if err != nil {
		t.Fatal(err)
	}
	outID := sm.send(t, "+16315550100")
	up, _ := d.UploadRequest("image/png", []byte("\x89PNG\r\n\x1a\n0000"))
	rec := sm.do(up)
	mediaID, err := d.ReadUpload(dialect.Answer{Status: rec.Code, Body: rec.Body.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	const j = "application/json"
	cases := []struct {
		name, method, path, ctype, body string
		want                            int
	}{
		{"send text", "POST", "/messages", j, `{"to":"16315550100","type":"text","text":{"body":"hi"}}`, 201},
		{"send default type", "POST", "/messages", j, `{"to":"16315550100","text":{"body":"hi"}}`, 201},
		{"send template", "POST", "/messages", j, `{"to":"16315550100","type":"template","template":{"name":"hello_world","language":{"code":"en","policy":"deterministic"}}}`, 201},
		{"send hsm", "POST", "/messages", j, `{"to":"16315550100","type":"hsm","hsm":{"namespace":"ns","element_name":"hello","language":{"code":"en","policy":"deterministic"},"localizable_params":[{"default":"x"}]}}`, 201},
		{"send image by id", "POST", "/messages", j, `{"to":"16315550100","type":"image","image":{"id":"` + mediaID + `","caption":"a cat"}}`, 201},
		{"send document by link", "POST", "/messages", j, `{"to":"16315550100","type":"document","document":{"link":"https://example.com/a.pdf"}}`, 201},
		{"send interactive", "POST", "/messages", j, `{"to":"16315550100","type":"interactive","interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[{"type":"reply","reply":{"id":"a","title":"A"}}]}}}`, 201},
		{"send invalid user", "POST", "/messages", j, `{"to":"` + onprem.WAID(MagicInvalid) + `","type":"text","text":{"body":"hi"}}`, 201},
		{"send national number", "POST", "/messages", j, `{"to":"0211234567","type":"text","text":{"body":"hi"}}`, 201},
		{"send schema invalid", "POST", "/messages", j, `{"type":"text","text":{}}`, 400},
		{"send not JSON", "POST", "/messages", j, `{"to":`, 400},
		{"send wrong content type", "POST", "/messages", "text/plain", `hi`, 415},
		{"send no digits", "POST", "/messages", j, `{"to":"abc","type":"text","text":{"body":"hi"}}`, 201},
		{"mark read", "PUT", "/messages/" + inID, j, `{"status":"read"}`, 200},
		{"mark read outbound", "PUT", "/messages/" + outID, j, `{"status":"read"}`, 404},
		{"mark read unknown", "PUT", "/messages/gBGGEgZHMlEfAgkM1RBkhDRr7t8", j, `{"status":"read"}`, 404},
		{"mark read bad status", "PUT", "/messages/" + inID, j, `{"status":"seen"}`, 400},
		{"mark read no body", "PUT", "/messages/" + inID, j, `{}`, 400},
		{"contacts", "POST", "/contacts", j, `{"blocking":"wait","contacts":["+1 (516) 283-7151","` + MagicInvalid + `","` + MagicProcessing + `","12x"]}`, 200},
		{"contacts invalid", "POST", "/contacts", j, `{"blocking":"wait"}`, 400},
		{"upload", "POST", "/media", "image/jpeg", "\xff\xd8\xff\xe0jpeg", 201},
		{"upload pdf", "POST", "/media", "application/pdf", "%PDF-1.4", 201},
		{"upload undeclared type", "POST", "/media", "application/x-msdownload", "MZ", 400},
		{"upload empty", "POST", "/media", "image/png", "", 400},
		{"download", "GET", "/media/" + mediaID, "", "", 200},
		{"download unknown", "GET", "/media/nope", "", "", 404},
		{"settings", "GET", "/settings/application", "", "", 200},
		{"settings patch", "PATCH", "/settings/application", j, `{"sent_status":false,"callback_backoff_delay_ms":"3000","max_callback_backoff_delay_ms":900000,"webhooks":{"max_concurrent_requests":12},"media":{"auto_download":["image"]}}`, 200},
		{"settings patch bad URL", "PATCH", "/settings/application", j, `{"webhooks":{"url":"ftp://example.com"}}`, 400},
		{"settings patch invalid", "PATCH", "/settings/application", j, `{"sent_status":"yes"}`, 400},
		{"health", "GET", "/health", "", "", 200},
		{"delete media", "DELETE", "/media/" + mediaID, "", "", 200},
		{"delete media again", "DELETE", "/media/" + mediaID, "", "", 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := sm.call(c.method, "/v1"+c.path, c.ctype, c.body)
			if rec.Code != c.want {
				t.Fatalf("status %d, want %d; body %s", rec.Code, c.want, rec.Body.String())
			}
			testSpec.CheckResponse(t, c.method, "/v1"+c.path, rec)
		})
	}
	t.Run("settings show the patch", func(t *testing.T) {
		rec := sm.call("GET", "/v1/settings/application", "", "")
		app := jsonMap(t, rec.Body.Bytes())["settings"].(map[string]any)["application"].(map[string]any)
		if app["callback_backoff_delay_ms"] != 3000.0 || app["webhooks"].(map[string]any)["max_concurrent_requests"] != 12.0 || app["media"] == nil {
			t.Errorf("application %v", app)
		}
	})
	t.Run("not simulated and unknown", func(t *testing.T) {
		for path, want := range map[string]int{"/v1/settings/profile/about": 501, "/v1/nowhere": 404} {
			rec := sm.call("GET", path, "", "")
			if rec.Code != want || !onprem.HasCode(rec.Body.Bytes(), codeFor(want)) {
				t.Errorf("%s: %d %s", path, rec.Code, rec.Body.String())
			}
		}
		if rec := sm.call("DELETE", "/v1/messages", "", ""); rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
			t.Errorf("DELETE /messages: %d Allow %q", rec.Code, rec.Header().Get("Allow"))
		}
	})
}

func codeFor(status int) int {
	if status == 501 {
		return onprem.CodeGeneric
	}
	return onprem.CodeNotFound
}

// TestContactsCheck: valid numbers with their wa_id, the magic ones, and
// inputs that are no numbers.
func TestContactsCheck(t *testing.T) {
	sm := newSim(t, testConfig())
	rec := sm.do(onprem.New().ContactsRequest([]string{"+1 (516) 283-7151", MagicInvalid, MagicProcessing, "12x", "123", "0211234567"}))
	cs, err := onprem.ReadContacts(dialect.Answer{Status: rec.Code, Body: rec.Body.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	want := []onprem.Contact{{Input: "+1 (516) 283-7151", Status: "valid", WAID: "15162837151"},
		{Input: MagicInvalid, Status: "invalid"}, {Input: MagicProcessing, Status: "processing"},
		{Input: "12x", Status: "invalid"}, {Input: "123", Status: "invalid"}, {Input: "0211234567", Status: "invalid"}}
	if len(cs) != len(want) {
		t.Fatalf("contacts %+v", cs)
	}
	for i := range want {
		if cs[i] != want[i] {
			t.Errorf("contact %d = %+v, want %+v", i, cs[i], want[i])
		}
	}
}

// TestMediaRoundTrip: upload, download the same bytes in their type,
// delete.
func TestMediaRoundTrip(t *testing.T) {
	sm := newSim(t, testConfig())
	d := onprem.New()
	data := []byte("%PDF-1.4 statement")
	up, _ := d.UploadRequest("application/pdf", data)
	rec := sm.do(up)
	id, err := d.ReadUpload(dialect.Answer{Status: rec.Code, Body: rec.Body.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	rec = sm.do(d.DownloadRequest(id))
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), data) || rec.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("download: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	if rec := sm.do(d.DeleteMediaRequest(id)); rec.Code != 200 {
		t.Fatalf("delete: %d", rec.Code)
	}
	if rec := sm.do(d.DownloadRequest(id)); rec.Code != 404 || rec.Body.Len() != 0 {
		t.Errorf("after delete: %d %q", rec.Code, rec.Body.String())
	}
}

// TestHealthAndAdminAuth: health answers the single-instance form; the
// admin API takes Basic or a token, nothing else.
func TestHealthAndAdminAuth(t *testing.T) {
	sm := newSim(t, testConfig())
	if rec := sm.do(onprem.New().HealthRequest()); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"gateway_status":"connected"`) {
		t.Errorf("health: %d %s", rec.Code, rec.Body.String())
	}
	for name, set := range map[string]func(*http.Request){
		"basic":  func(r *http.Request) { r.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword) },
		"bearer": func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+sm.token) },
	} {
		req := httptest.NewRequest("GET", "/_sim/stats", nil)
		set(req)
		if rec := simtest.Serve(sm.Server, req); rec.Code != 200 {
			t.Errorf("admin with %s: %d", name, rec.Code)
		}
	}
	if rec := simtest.Serve(sm.Server, httptest.NewRequest("GET", "/_sim/stats", nil)); rec.Code != 401 {
		t.Errorf("admin without credentials: %d", rec.Code)
	}
}

// TestAdminReply: POST /_sim/reply injects an inbound message whose id the
// admin API and PUT /messages/{id} know.
func TestAdminReply(t *testing.T) {
	sm := newSim(t, testConfig())
	req := httptest.NewRequest("POST", "/_sim/reply", strings.NewReader(`{"type":"voice","source":"+64 21 555 0100"}`))
	req.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword)
	rec := simtest.Serve(sm.Server, req)
	if rec.Code != 202 {
		t.Fatalf("reply: %d %s", rec.Code, rec.Body.String())
	}
	id, _ := jsonMap(t, rec.Body.Bytes())["id"].(string)
	if !strings.HasPrefix(id, "ABGG") {
		t.Fatalf("inbound id %q", id)
	}
	req = httptest.NewRequest("GET", "/_sim/messages/"+id, nil)
	req.SetBasicAuth(sim.DefaultUser, sim.DefaultPassword)
	if rec := simtest.Serve(sm.Server, req); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"inbound": true`) {
		t.Errorf("admin view: %d %s", rec.Code, rec.Body.String())
	}
	if rec := sm.do(onprem.New().MarkReadRequest(id)); rec.Code != 200 {
		t.Errorf("mark read: %d %s", rec.Code, rec.Body.String())
	}
}
