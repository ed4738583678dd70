package probe

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
)

// TestCurlLineNeverShowsCredentials: valid credentials become the
// dialect's $WABCHECK_… variables, wrong ones its fixed non-secret pair,
// missing ones nothing; a body with newlines goes to a file; quotes in a
// body survive the shell.
func TestCurlLineNeverShowsCredentials(t *testing.T) {
	r := &runner{o: Options{Dialect: modica.New(), Auth: dialect.NewBasicAuth("acme", "hunter2")}}
	op := &operation{id: "PostMessages", method: http.MethodPost, path: "/messages"}
	mk := func(auth int, body string) *exchange {
		req, _ := http.NewRequest(http.MethodPost, "https://api.example/rest/wab/v1/messages", nil)
		req.Header.Set("Content-Type", "application/json")
		if auth == authValid {
			_ = dialect.Authorize(req.Context(), r.o.Auth, req)
		} else if auth == authWrong {
			r.o.authorizeWrong(req)
		}
		return &exchange{c: &Case{op: op, auth: auth, hasBody: true}, method: http.MethodPost, url: req.URL.String(), reqHdr: req.Header, reqBody: []byte(body)}
	}
	for _, tc := range []struct {
		auth       int
		body, want string
		inline     bool
	}{
		{authValid, `{"text":"it's"}`, `-u "$WABCHECK_USER:$WABCHECK_PASSWORD" -H 'Content-Type: application/json' --data-binary '{"text":"it'\''s"}'`, true},
		{authWrong, `{}`, `-u 'wabcheck-wrong-user:not-the-password'`, true},
		{authMissing, "a\nb", `--data-binary @finding-1.body`, false},
	} {
		line, inline := r.curl(mk(tc.auth, tc.body), "finding-1.body")
		if !strings.Contains(line, tc.want) || inline != tc.inline {
			t.Errorf("auth %d: %s (inline %v); want %s", tc.auth, line, inline, tc.want)
		}
		if strings.Contains(line, "hunter2") || strings.Contains(line, "Authorization") || strings.Contains(line, "YWNtZTpodW50ZXIy") {
			t.Errorf("auth %d: credentials in %s", tc.auth, line)
		}
	}
}
