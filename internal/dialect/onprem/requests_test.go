package onprem

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// TestSendRequestsValid: every kind of send the dialect builds passes the
// spec with errata, and carries what the message says.
func TestSendRequestsValid(t *testing.T) {
	d := New()
	msgs := map[string]*dialect.Message{
		"text":            {To: "+1 631-555-0100", Kind: dialect.KindText, Text: `say "hi"`},
		"default kind":    {To: "+16315550100", Text: "hi"},
		"template":        {To: "+16315550100", Kind: dialect.KindTemplate, Template: &dialect.Template{Name: "hello_world", Language: "en_US"}},
		"template params": {To: "+16315550100", Kind: dialect.KindTemplate, Template: &dialect.Template{Name: "order", Language: "en", Params: []string{"A1", "3"}}},
		"image by link":   {To: "+16315550100", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "image", URL: "https://example.com/cat.jpg", Caption: "a cat"}},
		"image by id":     {To: "+16315550100", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "image", ID: "f043afd0"}},
		"document by id":  {To: "+16315550100", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "document", ID: "d1", Caption: "statement"}},
		"audio by link":   {To: "+16315550100", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "audio", URL: "https://example.com/a.mp3", Caption: "dropped"}},
		"video by link":   {To: "+16315550100", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "video", URL: "https://example.com/v.mp4"}},
	}
	for name, m := range msgs {
		t.Run(name, func(t *testing.T) {
			var r dialect.Request
			r.Body = make([]byte, 0, 8)
			if err := d.SendRequest(&r, m); err != nil {
				t.Fatal(err)
			}
			checkRequest(t, r)
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body["to"] != "16315550100" || body["recipient_type"] != "individual" {
				t.Errorf("to/recipient_type: %s", r.Body)
			}
			if m.Media != nil && m.Media.Type == "audio" && strings.Contains(string(r.Body), "caption") {
				t.Errorf("audio with a caption: %s", r.Body)
			}
		})
	}
}

// TestSendRequestReusesBuffer: the body is appended to dst.Body[:0].
func TestSendRequestReusesBuffer(t *testing.T) {
	r := dialect.Request{Body: make([]byte, 0, 256)}
	p := &r.Body[:1][0]
	if err := New().SendRequest(&r, &dialect.Message{To: "+1", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if &r.Body[0] != p {
		t.Error("SendRequest allocated a new body")
	}
}

// TestSendRequestRefuses: what the API cannot send is an error, not a
// request the server refuses.
func TestSendRequestRefuses(t *testing.T) {
	d := New()
	for name, m := range map[string]*dialect.Message{
		"via":             {To: "+1", Text: "x", Via: "direct"},
		"kind":            {To: "+1", Kind: "sms"},
		"no template":     {To: "+1", Kind: dialect.KindTemplate},
		"sticker":         {To: "+1", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "sticker", ID: "s"}},
		"id and link":     {To: "+1", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "image", ID: "i", URL: "https://x"}},
		"neither":         {To: "+1", Kind: dialect.KindMedia, Media: &dialect.Media{Type: "image"}},
		"no media at all": {To: "+1", Kind: dialect.KindMedia},
	} {
		var r dialect.Request
		if err := d.SendRequest(&r, m); err == nil {
			t.Errorf("%s: no error, body %s", name, r.Body)
		}
	}
}

// TestReadSend: the id of 200 and 201 answers; refusals name Meta's code.
func TestReadSend(t *testing.T) {
	d := New()
	for _, st := range []int{200, 201} {
		acc, err := d.ReadSend(answer(st, `{"messages":[{"id":"gBEGkYiEB1VXAglK1ZEqA1YKPrU"}],"meta":{"api_status":"stable","version":"v2"}}`))
		if err != nil || acc.ID != "gBEGkYiEB1VXAglK1ZEqA1YKPrU" || acc.Status != "" {
			t.Errorf("%d: %+v %v", st, acc, err)
		}
	}
	_, err := d.ReadSend(answer(400, `{"errors":[{"code":130429,"title":"Rate limit hit"}]}`))
	if err == nil || !strings.Contains(err.Error(), "130429 Rate limit hit") {
		t.Errorf("400: %v", err)
	}
	for _, body := range []string{`{"messages":[]}`, `{"messages":[{}]}`, `[`} {
		if _, err := d.ReadSend(answer(200, body)); err == nil {
			t.Errorf("%s: no error", body)
		}
	}
}

// TestOtherRequestsValid: mark read, health, contacts, media and settings
// requests pass the spec with errata.
func TestOtherRequestsValid(t *testing.T) {
	d := New()
	reqs := []dialect.Request{d.MarkReadRequest("ABGGFlA5FpafAgo6tHcNmNjXmuSf"), d.HealthRequest(),
		d.ContactsRequest([]string{"+1 (516) 283-7151", "16315550100"}), d.DownloadRequest("f043afd0-f0ae"),
		d.DeleteMediaRequest("f043afd0"), d.SettingsRequest(), d.WebhookURLRequest("https://hooks.example.com/wa"),
		d.WebhookURLRequest("")}
	for _, mt := range d.UploadTypes() {
		r, err := d.UploadRequest(mt, []byte("data"))
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, r)
	}
	for _, r := range reqs {
		checkRequest(t, r)
	}
	if _, err := d.UploadRequest("", []byte("x")); err == nil {
		t.Error("an upload without a type builds")
	}
}

// TestReadUploadAndContacts reads the media id and the contacts.
func TestReadUploadAndContacts(t *testing.T) {
	d := New()
	if id, err := d.ReadUpload(answer(201, `{"media":[{"id":"f043afd0"}]}`)); err != nil || id != "f043afd0" {
		t.Errorf("ReadUpload: %q %v", id, err)
	}
	if _, err := d.ReadUpload(answer(200, `{"media":[]}`)); err == nil {
		t.Error("ReadUpload of no id: no error")
	}
	cs, err := ReadContacts(answer(200, `{"contacts":[{"input":"+1 (516) 283-7151","status":"valid","wa_id":"15162837151"},{"input":"123","status":"invalid"}]}`))
	if err != nil || len(cs) != 2 || cs[0].WAID != "15162837151" || cs[1].Status != "invalid" {
		t.Errorf("ReadContacts: %+v %v", cs, err)
	}
}

// TestErrorBodies: ReadErrors and HasCode on Meta's error shape.
func TestErrorBodies(t *testing.T) {
	body := []byte(`{"meta":{"api_status":"stable","version":"v2"},"errors":[{"code":131056,"title":"(Business Account, Consumer Account) pair rate limit hit","details":"slow down"}]}`)
	if !HasCode(body, CodePairRate) || HasCode(body, CodeThroughput) {
		t.Error("HasCode")
	}
	for _, b := range []string{`{"meta":{}}`, `nope`, `{"errors":[]}`} {
		if _, err := ReadErrors([]byte(b)); err == nil {
			t.Errorf("%s: no error", b)
		}
	}
	if Title(CodeThroughput) != "Rate limit hit" || Title(42) != "" {
		t.Error("Title")
	}
}

// TestDialectRegistered: the dialect is registered with its capabilities.
func TestDialectRegistered(t *testing.T) {
	d, err := dialect.Get(Name)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(dialect.Capabilities(d), ",")
	if got != "send,mark-read,media,health,webhook-registration,signed-callbacks" {
		t.Errorf("capabilities %s", got)
	}
	if d.Statuses().Ordered || d.Statuses().Accepted != "" || d.Statuses().FinalNames() != "delivered, read or failed" {
		t.Errorf("status model: ordered %v accepted %q finals %q", d.Statuses().Ordered, d.Statuses().Accepted, d.Statuses().FinalNames())
	}
	rl := d.RateLimit()
	if rl.LimitHeader != "" || rl.RetryAfter != nil || rl.Documented != 80 {
		t.Errorf("rate limit model %+v", rl)
	}
	if d.Callbacks().ReferenceEcho() != dialect.EchoNone {
		t.Error("reference echo")
	}
}

// TestCheckRequestCanFail: the request check is not vacuous: a send the
// spec refuses (type sticker, no such object) has findings.
func TestCheckRequestCanFail(t *testing.T) {
	body := []byte(`{"to":"16315550100","type":"sticker","sticker":{"id":"s"}}`)
	hr := httptest.NewRequest("POST", "http://client.local/v1/messages", bytes.NewReader(body))
	hr.Header.Set("Content-Type", "application/json")
	if fs := testSpec.Validator(t).Request(hr, body); len(fs) == 0 {
		t.Error("a sticker send passes the spec")
	}
}

// TestRateRefusal: 400 naming 130429 or 131056 is a rate-limit refusal;
// another code, another status, or no error body is not.
func TestRateRefusal(t *testing.T) {
	m := New().RateLimit()
	body := func(code int) []byte {
		return []byte(`{"meta":{"api_status":"stable"},"errors":[{"code":` + strconv.Itoa(code) + `,"title":"x"}]}`)
	}
	for _, c := range []struct {
		status int
		body   []byte
		want   bool
	}{{400, body(CodeThroughput), true}, {400, body(CodePairRate), true}, {429, nil, true},
		{400, body(CodeParamInvalid), false}, {500, body(CodeThroughput), false}, {400, []byte(`{"meta":{}}`), false}} {
		if got := m.Limited(c.status, c.body); got != c.want {
			t.Errorf("Limited(%d, %s) = %v", c.status, c.body, got)
		}
	}
}
