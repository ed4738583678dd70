package onprem

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/redact"
)

// Login is the login call's path under the base URL.
const Login = "/users/login"

// wrongToken is a well-formed bearer token (a JWT's three base64url parts)
// that no server issued.
const wrongToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyIjoid2FiY2hlY2std3JvbmcifQ.d2FiY2hlY2std3JvbmctdG9rZW4"

// maxRefreshMargin bounds how long before expires_after a token is
// replaced; a short-lived token is replaced a tenth of its life early.
const maxRefreshMargin = 5 * time.Minute

// fallbackLife is how long a token is used when the login answer gives no
// readable expires_after (a defect the spec check reports): short, so the
// harness logs in again rather than run on an expired token.
const fallbackLife = time.Minute

// LoginAuth logs in with HTTP Basic (POST {base}/users/login) and puts
// the bearer token it gets on requests, logging in again before the token
// expires. It is safe for concurrent use: one login at a time, the others
// wait for it. The token is never printed; errors name the login URL
// (credentials redacted) and Meta's error codes only.
type LoginAuth struct {
	basic  string // "Basic …"; never printed
	url    string
	client *http.Client
	now    func() time.Time

	cur    atomic.Pointer[session]
	sem    chan struct{} // one login at a time
	logins atomic.Int64
}

// session is one login's token and when to replace it.
type session struct {
	header    string // "Bearer …"
	expires   time.Time
	refreshAt time.Time
}

// NewAuth implements dialect.Dialect: a LoginAuth for c.User and
// c.Password against env.BaseURL.
func (*Dialect) NewAuth(c dialect.Credentials, env dialect.AuthEnv) (dialect.Auth, error) {
	return NewLoginAuth(c, env)
}

// NewLoginAuth returns a LoginAuth; it does not log in until first used.
func NewLoginAuth(c dialect.Credentials, env dialect.AuthEnv) (*LoginAuth, error) {
	if c.User == "" || c.Password == "" {
		return nil, errors.New("onprem: --user and --password are required (they log in to get a bearer token)")
	}
	if env.BaseURL == "" {
		return nil, errors.New("onprem: no target URL to log in at")
	}
	a := &LoginAuth{basic: dialect.BasicHeader(c.User, c.Password), url: strings.TrimSuffix(env.BaseURL, "/") + Login,
		client: env.Client, now: env.Now, sem: make(chan struct{}, 1)}
	if a.client == nil {
		a.client = &http.Client{Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if a.now == nil {
		a.now = time.Now
	}
	return a, nil
}

// Credential implements dialect.Auth: the current token, after logging in
// when there is none or it is due for replacement.
func (a *LoginAuth) Credential(ctx context.Context) (string, string, error) {
	if s := a.cur.Load(); s != nil && a.now().Before(s.refreshAt) {
		return "Authorization", s.header, nil
	}
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return "", "", fmt.Errorf("onprem: waiting for the login: %w", ctx.Err())
	}
	defer func() { <-a.sem }()
	if s := a.cur.Load(); s != nil && a.now().Before(s.refreshAt) {
		return "Authorization", s.header, nil // another caller logged in meanwhile
	}
	s, err := a.login(ctx)
	if err != nil {
		return "", "", err
	}
	a.cur.Store(s)
	return "Authorization", s.header, nil
}

// Wrong implements dialect.Auth: a well-formed bearer token no server
// issued.
func (*LoginAuth) Wrong() (string, string) { return "Authorization", "Bearer " + wrongToken }

// Headers implements dialect.Auth.
func (*LoginAuth) Headers() []string { return []string{"Authorization"} }

// Expiry is the current token's expires_after (zero before the first
// login).
func (a *LoginAuth) Expiry() time.Time {
	if s := a.cur.Load(); s != nil {
		return s.expires
	}
	return time.Time{}
}

// Invalidate drops the current token, so that the next Credential logs
// in again (after the server refused a token it had issued: restarted,
// or revoked it).
func (a *LoginAuth) Invalidate() { a.cur.Store(nil) }

// Logins counts the logins made so far.
func (a *LoginAuth) Logins() int { return int(a.logins.Load()) }

// login calls POST /users/login and reads the token and its expiry.
func (a *LoginAuth) login(ctx context.Context) (*session, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, http.NoBody)
	if err != nil {
		return nil, fmt.Errorf("onprem: login at %s: %w", redact.URL(a.url), err)
	}
	req.Header.Set("Authorization", a.basic)
	req.Header.Set("Accept", "application/json")
	at := a.now()
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("onprem: login at %s: %w", redact.URL(a.url), redactErr(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("onprem: login at %s: reading the answer: %w", redact.URL(a.url), err)
	}
	a.logins.Add(1)
	return a.readLogin(resp.StatusCode, body, at)
}

// readLogin reads a login answer received at.
func (a *LoginAuth) readLogin(status int, body []byte, at time.Time) (*session, error) {
	where := "onprem: login at " + redact.URL(a.url)
	if status != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d%s", where, status, errorSummary(body))
	}
	token, expires, err := ReadLogin(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	s := &session{header: "Bearer " + token, expires: expires}
	if expires.IsZero() {
		s.refreshAt = at.Add(fallbackLife)
		return s, nil
	}
	margin := min(maxRefreshMargin, expires.Sub(at)/10)
	s.refreshAt = expires.Add(-max(margin, 0))
	return s, nil
}

// ReadLogin reads a login answer {users: [{token, expires_after}]}: the
// token and its expiry (zero when expires_after is missing or not a time).
func ReadLogin(body []byte) (token string, expires time.Time, err error) {
	var ans struct {
		Users []struct {
			Token        string `json:"token"`
			ExpiresAfter string `json:"expires_after"`
		} `json:"users"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return "", time.Time{}, fmt.Errorf("the login answer is not JSON: %w", err)
	}
	if len(ans.Users) == 0 || ans.Users[0].Token == "" {
		return "", time.Time{}, errors.New("the login answer has no users[0].token")
	}
	t, _ := ParseExpiry(ans.Users[0].ExpiresAfter)
	return ans.Users[0].Token, t, nil
}

// expiryLayouts are the forms expires_after takes: the client's
// "2018-03-01 15:29:26+00:00" and RFC 3339.
var expiryLayouts = []string{"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano}

// ParseExpiry parses an expires_after value.
func ParseExpiry(s string) (time.Time, error) {
	for _, l := range expiryLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("expires_after %q is not a date and time", s)
}

// FormatExpiry writes t as the client does ("2018-03-01 15:29:26+00:00").
func FormatExpiry(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05-07:00") }

// errorSummary is ": 1005 Access denied" for an error body, else "".
func errorSummary(body []byte) string {
	errs, err := ReadErrors(body)
	if err != nil {
		return ""
	}
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		parts = append(parts, e.String())
	}
	return ": " + strings.Join(parts, "; ")
}

// redactErr drops the URL a transport error repeats (it may carry
// credentials; the caller names the URL redacted) and keeps the cause.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// CurlArgs implements dialect.ShellCredential: the bearer token from
// $WABCHECK_TOKEN (POST /v1/users/login with the user and password gives
// one).
func (*LoginAuth) CurlArgs() string { return `-H "Authorization: Bearer $WABCHECK_TOKEN"` }

var _ dialect.Session = (*LoginAuth)(nil)

// wrongBasic is well-formed HTTP Basic credentials no client was given.
var wrongBasic = dialect.BasicHeader("wabcheck-wrong-user", "not-the-password")

// LoginRequest implements dialect.Session: POST /users/login with the
// run's HTTP Basic credentials (or, with wrong, ones the API must refuse)
// in the request's own Authorization header.
func (a *LoginAuth) LoginRequest(wrong bool) dialect.Request {
	h := a.basic
	if wrong {
		h = wrongBasic
	}
	return dialect.Request{Operation: OpLogin, Method: http.MethodPost, Path: Login, Header: http.Header{"Authorization": {h}}}
}

// ReadLogin implements dialect.Session: the expiry of a 200 login answer.
func (a *LoginAuth) ReadLogin(ans dialect.Answer) (time.Time, error) {
	if ans.Status != http.StatusOK {
		return time.Time{}, fmt.Errorf("the login was refused (%d%s)", ans.Status, errorSummary(ans.Body))
	}
	_, exp, err := ReadLogin(ans.Body)
	return exp, err
}
