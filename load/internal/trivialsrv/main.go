// Command trivialsrv is the trivial loopback server the load-engine
// benchmark (load/bench/compare.sh) drives both the vegeta CLI and
// `wabcheck load` against: every request gets a spec-conformant 202 of
// POST /messages, with nothing else done, so the client is the bottleneck.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/wabcheck/wabcheck/internal/netguard"
)

var body = []byte(`{"message_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"accepted"}`)

func main() {
	addr := flag.String("addr", "127.0.0.1:18080", "listen address (loopback)")
	flag.Parse()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Type"] = []string{"application/json"}
		hd["X-Ratelimit-Limit"] = []string{"100"}
		hd["Content-Security-Policy"] = []string{"default-src 'none'"}
		hd["Strict-Transport-Security"] = []string{"max-age=31536000; includeSubDomains"}
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write(body)
	})
	ln, err := netguard.Listen(*addr, false) // a benchmark target stays on loopback
	if err != nil {
		log.Fatalf("-addr %s: %v", *addr, err)
	}
	log.Fatal(http.Serve(ln, h))
}
