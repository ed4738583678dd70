package harness

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
)

// A webhook registration the target answers 500 is the target's failure:
// the harness starts, names it among its errors (the run fails, exit 1);
// one answered 401 is a configuration error Start returns (exit 2).
func TestRegistrationServerErrorIsTheTargetsFailure(t *testing.T) {
	for _, tc := range []struct {
		status  int
		started bool
	}{{http.StatusInternalServerError, true}, {http.StatusUnauthorized, false}} {
		target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(`{"error":{"code":"X","message":"no"}}`))
		}))
		o := Options{Dialect: ycloud.New(), Doc: ycloud.MustDoc(), Target: target.URL + "/v2", CallbackListen: "127.0.0.1:0",
			Credentials: dialect.Credentials{APIKey: "k"}}
		h, err := Start(context.Background(), o)
		if (err == nil) != tc.started {
			t.Fatalf("answer %d: Start error %v, want started %v", tc.status, err, tc.started)
		}
		if h != nil {
			errs := h.Errs()
			if len(errs) != 1 || !strings.Contains(errs[0], "answer 500") {
				t.Errorf("answer %d: harness errors %q, want the 500 named", tc.status, errs)
			}
			_ = h.Close(context.Background())
		}
		target.Close()
	}
}
