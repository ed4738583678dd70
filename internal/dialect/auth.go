package dialect

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"time"
)

// Credentials are what a user gives for a real target (flags or
// WABCHECK_… variables). A dialect uses the fields its scheme needs.
type Credentials struct {
	User, Password string
	APIKey         string
}

// CredentialField describes one credential a dialect needs, for help
// texts and `wabcheck vendors`.
type CredentialField struct {
	// Flag is the command-line flag ("--api-key").
	Flag string `json:"flag"`
	// Env is the environment variable read when the flag is not given.
	Env string `json:"env"`
	// What says what it is for.
	What string `json:"what"`
}

// The credential fields dialects share.
var (
	FieldUser     = CredentialField{Flag: "--user", Env: "WABCHECK_USER", What: "API user name"}
	FieldPassword = CredentialField{Flag: "--password", Env: "WABCHECK_PASSWORD", What: "API password"}
	FieldAPIKey   = CredentialField{Flag: "--api-key", Env: "WABCHECK_API_KEY", What: "API key"}
)

// CheckCredentials names the first credential d needs that c lacks, by
// its flag and variable.
func CheckCredentials(d Dialect, c Credentials) error {
	for _, f := range d.Info().Credentials {
		v := map[string]string{FieldUser.Flag: c.User, FieldPassword.Flag: c.Password, FieldAPIKey.Flag: c.APIKey}[f.Flag]
		if v == "" {
			return fmt.Errorf("%s (or %s): a real %s target needs it", f.Flag, f.Env, d.Info().Name)
		}
	}
	return nil
}

// AuthEnv is what an authorizer may need besides the credentials: where
// the API is, a client to log in with, and a clock.
type AuthEnv struct {
	// BaseURL is the target's base URL (its path is the API's base path).
	BaseURL string
	// Client makes login calls; it must not follow redirects.
	Client *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Auth puts credentials on requests. It is safe for concurrent use.
type Auth interface {
	// Credential returns the header that carries valid credentials now.
	// A dialect with a login call logs in on first use and again before
	// the token expires; the value must never be printed.
	Credential(ctx context.Context) (name, value string, err error)
	// Wrong returns a well-formed credential header that the API must
	// refuse (the "wrong credentials" scenarios).
	Wrong() (name, value string)
	// Headers lists every request header that may carry credentials, for
	// redaction and for "no credentials" requests.
	Headers() []string
}

// Authorize sets a's current credential on req.
func Authorize(ctx context.Context, a Auth, req *http.Request) error {
	name, value, err := a.Credential(ctx)
	if err != nil {
		return err
	}
	req.Header.Set(name, value)
	return nil
}

// BasicAuth is HTTP Basic authentication with fixed credentials.
type BasicAuth struct{ header string }

// NewBasicAuth returns an Auth sending user and password as HTTP Basic.
func NewBasicAuth(user, password string) *BasicAuth {
	return &BasicAuth{header: BasicHeader(user, password)}
}

// BasicHeader is the Authorization value for HTTP Basic credentials.
func BasicHeader(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// Credential implements Auth.
func (b *BasicAuth) Credential(context.Context) (string, string, error) {
	return "Authorization", b.header, nil
}

// Wrong implements Auth.
func (b *BasicAuth) Wrong() (string, string) {
	return "Authorization", BasicHeader("wabcheck-wrong-user", "not-the-password")
}

// Headers implements Auth.
func (b *BasicAuth) Headers() []string { return []string{"Authorization"} }

// HeaderKeyAuth sends an API key in a header of the vendor's choosing.
type HeaderKeyAuth struct{ name, key string }

// NewHeaderKeyAuth returns an Auth sending key in header name
// ("X-API-Key").
func NewHeaderKeyAuth(name, key string) *HeaderKeyAuth {
	return &HeaderKeyAuth{name: http.CanonicalHeaderKey(name), key: key}
}

// Credential implements Auth.
func (h *HeaderKeyAuth) Credential(context.Context) (string, string, error) {
	return h.name, h.key, nil
}

// Wrong implements Auth.
func (h *HeaderKeyAuth) Wrong() (string, string) {
	return h.name, "wabcheck-wrong-key-0000000000000000"
}

// Headers implements Auth.
func (h *HeaderKeyAuth) Headers() []string { return []string{h.name} }

// CurlArgs implements ShellCredential.
func (b *BasicAuth) CurlArgs() string { return `-u "$WABCHECK_USER:$WABCHECK_PASSWORD"` }

// CurlArgs implements ShellCredential.
func (h *HeaderKeyAuth) CurlArgs() string { return `-H "` + h.name + `: $WABCHECK_API_KEY"` }
