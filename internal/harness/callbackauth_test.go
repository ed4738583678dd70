package harness

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"

	"github.com/wabcheck/wabcheck/internal/callbacks"
)

// postDLR posts a Modica DLR for id to h's status callback URL, with the
// in-process simulator's callback credentials when auth is set, and
// returns the status code.
func postDLR(t *testing.T, h *Harness, id string, auth bool) int {
	t.Helper()
	u, err := url.Parse(h.CallbackURLs["status"])
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"id":"` + id + `","reference":"r1","status":"submitted"}`)
	req, err := http.NewRequest(http.MethodPost, "http://"+u.Host+u.Path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.SetBasicAuth(simCallbackUser, simCallbackPassword)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestLeanCallbackAuthKeepsNoCountPerMessage: load's lean receiver behind
// the in-process simulator's credential check used to count every
// callback under its message id in CallbackAuth, a map that grew with
// every message sent for the whole run (and decoded each callback a second
// time to find the id). Lean now counts in total only; the credentials are
// still required. Conform's receiver keeps its per-message counts.
func TestLeanCallbackAuthKeepsNoCountPerMessage(t *testing.T) {
	const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	for _, lean := range []bool{true, false} {
		h := startHarness(t, Options{Receiver: callbacks.Options{Lean: lean}})
		if h.CallbackAuth == nil {
			t.Fatalf("lean=%v: no CallbackAuth on the in-process simulator's receiver", lean)
		}
		if code := postDLR(t, h, id, false); code != http.StatusUnauthorized {
			t.Errorf("lean=%v: a DLR without credentials got %d, want 401", lean, code)
		}
		if code := postDLR(t, h, id, true); code/100 != 2 {
			t.Errorf("lean=%v: a DLR with credentials got %d, want 2xx", lean, code)
		}
		good, bad := h.CallbackAuth.Seen(id)
		allGood, allBad := h.CallbackAuth.Seen("")
		if lean && (good != 0 || bad != 0 || allGood != 1 || allBad != 1) {
			t.Errorf("lean: Seen(id) = %d, %d and Seen(\"\") = %d, %d; want 0, 0 and 1, 1 (totals only)", good, bad, allGood, allBad)
		}
		if !lean && (good != 1 || bad != 1) {
			t.Errorf("conform: Seen(id) = %d, %d; want 1, 1", good, bad)
		}
	}
}
