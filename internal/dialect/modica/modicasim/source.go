package modicasim

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// sourceStore keeps the sources added with POST /source, by business
// number id (a repeat replaces the earlier one).
type sourceStore struct {
	mu sync.Mutex
	m  map[string]json.RawMessage
}

func (ss *sourceStore) put(id string, raw []byte) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.m == nil {
		ss.m = map[string]json.RawMessage{}
	}
	ss.m[id] = append(json.RawMessage(nil), raw...)
}

// postSource is POST /source: validate the Source and keep it; 200 without
// a body (ResponseSourcePost declares none).
func (a *api) postSource(w http.ResponseWriter, r *http.Request) {
	var src struct {
		BusinessNumberID string `json:"business_number_id"`
	}
	bp := a.decodeBody(w, r, &src)
	if bp == nil {
		return
	}
	defer sim.PutBuf(bp)
	a.sources.put(src.BusinessNumberID, *bp)
	a.writeEmpty(w, http.StatusOK)
}

// getHealthz is GET /healthz: 200 without a body.
func (a *api) getHealthz(w http.ResponseWriter, _ *http.Request) {
	a.writeEmpty(w, http.StatusOK)
}
