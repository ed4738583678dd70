package load

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/load/profiles"
)

func shardGen(i, n int, mix []profiles.OpWeight) *Generator {
	return NewGenerator(TargetConfig{BaseURL: "http://127.0.0.1:1/rest/wab/v1", Dialect: modica.New(), Auth: dialect.NewBasicAuth("u", "p"),
		Payload: profiles.Payload{FirstDestination: 64220000000, Destinations: 3000, BroadcastSize: 5, ReferencePrefix: "t",
			Variants: []profiles.OpWeight{{Op: profiles.VariantText, Weight: 1}, {Op: profiles.VariantTemplate, Weight: 1}, {Op: profiles.VariantMedia, Weight: 1}}},
		Mix: mix, Shard: Shard{Index: i, Count: n}, RunID: "run"}, nil)
}

func TestTargeterUniqueAcrossShards(t *testing.T) {
	refs := map[string]int{}
	dests := map[string]int{}
	mix := []profiles.OpWeight{{Op: profiles.OpSend, Weight: 3}, {Op: profiles.OpBroadcast, Weight: 1}}
	for shard := range 3 {
		tr := shardGen(shard, 3, mix).Targeter()
		for range 2000 {
			var tg vegeta.Target
			if err := tr(&tg); err != nil {
				t.Fatal(err)
			}
			var body struct {
				Reference   string          `json:"reference"`
				Destination json.RawMessage `json:"destination"`
			}
			if err := json.Unmarshal(tg.Body, &body); err != nil {
				t.Fatalf("body %s: %v", tg.Body, err)
			}
			if body.Reference != ReferenceOf(tg.URL) {
				t.Fatalf("URL fragment %q != body reference %q", tg.URL, body.Reference)
			}
			if prev, dup := refs[body.Reference]; dup {
				t.Fatalf("reference %s used by shard %d and %d", body.Reference, prev, shard)
			}
			refs[body.Reference] = shard
			var list []string
			if json.Unmarshal(body.Destination, &list) != nil {
				var one string
				_ = json.Unmarshal(body.Destination, &one)
				list = []string{one}
			}
			for _, d := range list {
				var n uint64
				_, _ = fmt.Sscanf(d, "+%d", &n)
				if lo := 64220000000 + uint64(shard)*1000; n < lo || n >= lo+1000 {
					t.Fatalf("shard %d sent to %s, outside its slice [+%d, +%d)", shard, d, lo, lo+1000)
				}
				if prev, ok := dests[d]; ok && prev != shard {
					t.Fatalf("destination %s used by shard %d and %d", d, prev, shard)
				}
				dests[d] = shard
			}
		}
	}
}

func TestTargeterBodiesConform(t *testing.T) {
	v, err := validate.New(modicaspec.MustDoc(), validate.Dialect(modica.New()))
	if err != nil {
		t.Fatal(err)
	}
	tr := shardGen(0, 1, []profiles.OpWeight{{Op: profiles.OpSend, Weight: 1}, {Op: profiles.OpBroadcast, Weight: 1}, {Op: profiles.OpHealthz, Weight: 1}}).Targeter()
	seen := map[string]bool{}
	for range 60 {
		var tg vegeta.Target
		_ = tr(&tg)
		req, err := tg.Request()
		if err != nil {
			t.Fatal(err)
		}
		seen[req.Method+" "+req.URL.Path] = true
		if fs := v.Request(req, tg.Body); len(fs) > 0 {
			t.Errorf("%s %s %s: %v", tg.Method, tg.URL, tg.Body, fs)
		}
		if req.Header.Get("Authorization") == "" {
			t.Error("no Authorization header")
		}
	}
	for _, want := range []string{"POST /rest/wab/v1/messages", "POST /rest/wab/v1/messages/broadcast", "GET /rest/wab/v1/healthz"} {
		if !seen[want] {
			t.Errorf("mix never produced %s (saw %v)", want, seen)
		}
	}
}

func TestGetUsesRecentIDs(t *testing.T) {
	r := &Recent{}
	g := NewGenerator(TargetConfig{BaseURL: "http://127.0.0.1:1", Dialect: modica.New(), Mix: []profiles.OpWeight{{Op: profiles.OpGet, Weight: 1}},
		Payload: profiles.Payload{Variants: []profiles.OpWeight{{Op: profiles.VariantText, Weight: 1}}}}, r)
	var tg vegeta.Target
	_ = g.Targeter()(&tg)
	if tg.URL != "http://127.0.0.1:1/healthz" {
		t.Errorf("with no ids yet, get should fall back to healthz, got %s", tg.URL)
	}
	r.Put("3fa85f64-5717-4562-b3fc-2c963f66afa6")
	_ = g.Targeter()(&tg)
	if tg.Method != http.MethodGet || tg.URL != "http://127.0.0.1:1/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("get: %s %s", tg.Method, tg.URL)
	}
}

func TestParseShard(t *testing.T) {
	for in, ok := range map[string]bool{"": true, "0/1": true, "2/3": true, "3/3": false, "-1/3": false, "a/b": false, "1": false} {
		_, err := ParseShard(in)
		if (err == nil) != ok {
			t.Errorf("ParseShard(%q): %v", in, err)
		}
	}
}
