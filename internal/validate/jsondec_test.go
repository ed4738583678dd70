package validate

import (
	"encoding/json"
	"reflect"
	"testing"
)

var jsonCorpus = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-12.25E-2`, `"x"`, `""`,
	goodPostText, good202, goodDLR, `{"a":[1,2,{"b":null}],"c":"é","d":{"e":[]}}`, ` { "a" : 1 } `,
	`{"a":1,"a":2}`, `[1,2,3]`, "\"tab\there\"", `"esc\"aped"`, `"\u00e9"`, "\"\xff\"",
	`01`, `1.`, `.5`, `1e`, `-`, `+1`, `1e999`, `{"a":1,}`, `[1,]`, `{"a"}`, `{"a":}`, `{a:1}`, `[`, `{`, `"open`,
	`tru`, `nul`, `{"a":1}x`, `{"a":1} {"b":2}`, ``, ` `, `[[[[[[[[[[]]]]]]]]]]`, `NaN`, `Infinity`,
}

func sameAsJSON(t *testing.T, in string) {
	t.Helper()
	got, gotErr := DecodeJSON([]byte(in))
	var want any
	wantErr := json.Unmarshal([]byte(in), &want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%q: expected error %v, got %v", in, wantErr, gotErr)
	}
	if gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: expected %#v, got %#v", in, want, got)
	}
}

func TestDecodeJSONMatchesEncodingJSON(t *testing.T) {
	for _, in := range jsonCorpus {
		sameAsJSON(t, in)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, in := range jsonCorpus {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) { sameAsJSON(t, in) })
}
