package ycloud

import (
	"encoding/json"
	"testing"
)

// topLevelString reads the envelope's own key, as encoding/json would,
// whatever nests or is escaped around it.
func TestTopLevelString(t *testing.T) {
	tests := []struct {
		body, want string
		ok         bool
	}{
		{`{"type":"a"}`, "a", true},
		{` { "id" : "x" , "type" : "a" } `, "a", true},
		{`{"whatsappMessage":{"type":"text"},"type":"a"}`, "a", true},
		{`{"whatsappMessage":{"type":"text"}}`, "", false},
		{`{"x":"he said \"type\":\"b\"","type":"a"}`, "a", true},
		{`{"x":["}",{"type":"b"}],"n":12.5e3,"t":true,"z":null,"type":"a"}`, "a", true},
		{`{"type":"a","type":"b"}`, "b", true},
		{`{"ty\u0070e":"a"}`, "a", true},
		{`{"type":"wh\u0061tsapp"}`, "whatsapp", true},
		{`{"type":1}`, "", false},
		{`[{"type":"a"}]`, "", false},
		{`{"type":"a`, "", false},
		{`{"x":{"type":"a"}`, "", false},
		{`not json`, "", false},
		{``, "", false},
	}
	for _, tt := range tests {
		got, ok := topLevelString([]byte(tt.body), "type")
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: %q %v, want %q %v", tt.body, got, ok, tt.want, tt.ok)
		}
		var env struct{ Type any }
		if json.Unmarshal([]byte(tt.body), &env) == nil && tt.ok && env.Type != tt.want {
			t.Errorf("%s: encoding/json reads %v", tt.body, env.Type)
		}
	}
}
