package spec

import "testing"

// Y13-Y15: a send request names sender and recipient as E.164 numbers
// (single spaces allowed) and carries the object its type names; the
// published spec takes any strings and no object.
func TestYCloudErrataSendRequest(t *testing.T) {
	published, patched := ycloudPatched(t)
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"text", `{"from":"+16315551111","to":"+16315550100","type":"text","text":{"body":"hi"}}`, true},
		{"spaces", `{"from":"+1 631 555 1111","to":"+44 20 7123 4567","type":"text","text":{"body":"hi"}}`, true},
		{"template and an extra object", `{"from":"+16315551111","to":"+16315550100","type":"template","template":{"name":"x","language":{"code":"en"}},"text":{"body":"hi"}}`, true},
		{"contacts", `{"from":"+16315551111","to":"+16315550100","type":"contacts","contacts":[]}`, true},
		{"no text for type text", `{"from":"+16315551111","to":"+16315550100","type":"text"}`, false},
		{"another type's object only", `{"from":"+16315551111","to":"+16315550100","type":"image","text":{"body":"hi"}}`, false},
		{"to not E.164", `{"from":"+16315551111","to":"0211234567","type":"text","text":{"body":"hi"}}`, false},
		{"from not a number", `{"from":"wabcheck","to":"+16315550100","type":"text","text":{"body":"hi"}}`, false},
		{"double space", `{"from":"+16315551111","to":"+1  6315550100","type":"text","text":{"body":"hi"}}`, false},
		{"16 digits", `{"from":"+16315551111","to":"+1631555010012345","type":"text","text":{"body":"hi"}}`, false},
		{"leading zero", `{"from":"+06315551111","to":"+16315550100","type":"text","text":{"body":"hi"}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := patched.T.Components.Schemas["WhatsappMessageSendRequest"].Value
			if err := visit(t, s, tc.body); (err == nil) != tc.ok {
				t.Errorf("with the errata: valid %v, want %v (%v)", err == nil, tc.ok, err)
			}
			if err := visit(t, published.T.Components.Schemas["WhatsappMessageSendRequest"].Value, tc.body); err != nil {
				t.Errorf("the published spec refuses it already: %v", err)
			}
		})
	}
}

// Y16: a webhook endpoint's url is an absolute http(s) URL, on create and
// on update; the published spec takes any string.
func TestYCloudErrataWebhookURL(t *testing.T) {
	_, patched := ycloudPatched(t)
	for _, name := range []string{"WebhookEndpointCreateRequest", "WebhookEndpointUpdateRequest"} {
		s := patched.T.Components.Schemas[name].Value.Properties["url"].Value
		for u, ok := range map[string]bool{
			"https://api.yourcompany.com/webhook": true, "http://127.0.0.1:40261": true, "https://httpbin.org/anything?tag=api": true,
			"https://h.example:65535/a%20b#f": true, "wabcheck": false, "ftp://h.example/": false, "http://h:65536/": false,
			"http://h/%00": false, "http://[::1]/": false, "https://h.example/a b": false, "http://-h/": false,
		} {
			if err := visit(t, s, `"`+u+`"`); (err == nil) != ok {
				t.Errorf("%s url %q: valid %v, want %v (%v)", name, u, err == nil, ok, err)
			}
		}
	}
}
