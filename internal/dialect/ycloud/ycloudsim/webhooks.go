package ycloudsim

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/ycloud"
	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/netguard"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// routeWebhooks routes /webhookEndpoints[/{id}[/rotateSecret]].
func (a *api) routeWebhooks(rel, method string) handler {
	rest := strings.TrimPrefix(strings.TrimPrefix(rel, ycloud.PathWebhooks), "/")
	id, action, _ := strings.Cut(rest, "/")
	switch {
	case rest == "" && method == http.MethodPost:
		return a.createEndpoint
	case rest == "" && method == http.MethodGet:
		return a.listEndpoints
	case id != "" && action == "" && method == http.MethodGet:
		return a.withEndpoint(id, a.getEndpoint)
	case id != "" && action == "" && method == http.MethodPatch:
		return a.withEndpoint(id, a.patchEndpoint)
	case id != "" && action == "" && method == http.MethodDelete:
		return a.withEndpoint(id, a.deleteEndpoint)
	case id != "" && action == "rotateSecret" && method == http.MethodPost:
		return a.withEndpoint(id, a.rotateSecret)
	}
	return nil
}

// endpointHandler serves an operation on an existing endpoint.
type endpointHandler func(w http.ResponseWriter, r *http.Request, e *endpoint)

// withEndpoint applies the account's rate limit, validates the request
// and finds endpoint id (404 when there is none).
func (a *api) withEndpoint(id string, h endpointHandler) handler {
	return func(w http.ResponseWriter, r *http.Request, _, key string) {
		if !a.admitAccount(w, key) {
			return
		}
		e := a.hooks.get(id)
		if e == nil {
			a.writeError(w, apiErr{status: http.StatusNotFound, code: codeNotFound, target: "id", message: "no webhook endpoint " + id})
			return
		}
		h(w, r, e)
	}
}

// endpointRequest is a create or update request as decoded.
type endpointRequest struct {
	url, description, status *string
	events                   []string
	hasEvents                bool
}

// readEndpointRequest reads and validates a create or update body; on a
// problem it has answered 400.
func (a *api) readEndpointRequest(w http.ResponseWriter, r *http.Request) (endpointRequest, bool) {
	var req endpointRequest
	bp, err := a.s.ReadBody(r)
	if err != nil {
		a.bodyError(w, err)
		return req, false
	}
	defer sim.PutBuf(bp)
	val, fs := a.v.RequestValue(r, *bp)
	if len(fs) > 0 {
		a.findingsError(w, fs)
		return req, false
	}
	m, _ := val.(map[string]any)
	for _, f := range []struct {
		key string
		dst **string
	}{{"url", &req.url}, {"description", &req.description}, {"status", &req.status}} {
		if s, ok := m[f.key].(string); ok {
			*f.dst = &s
		}
	}
	if evs, ok := m["enabledEvents"].([]any); ok {
		req.hasEvents = true
		for _, e := range evs {
			if s, ok := e.(string); ok && !slices.Contains(req.events, s) {
				req.events = append(req.events, s)
			}
		}
	}
	return req, a.checkEndpointRequest(w, req)
}

// checkEndpointRequest checks what the schema cannot: an absolute http(s)
// URL (no control characters, a valid port, no link-local or metadata
// host unless the configuration allows those) and at least one event.
// (YCloud also refuses URLs that resolve to private addresses; the
// simulator takes them, to reach local receivers, and posts only to
// loopback ones unless remote-webhooks is on: see receiving.)
func (a *api) checkEndpointRequest(w http.ResponseWriter, req endpointRequest) bool {
	if req.url != nil {
		if err := netguard.CheckURL(*req.url, a.s.Config().AllowMetadataCallbacks); err != nil {
			a.badRequest(w, "url", "url must be an absolute http or https URL ("+err.Error()+")")
			return false
		}
	}
	if req.hasEvents && len(req.events) == 0 {
		a.badRequest(w, "enabledEvents", "enabledEvents must name at least one event type")
		return false
	}
	return true
}

// createEndpoint is POST /webhookEndpoints: 200 with the endpoint and its
// secret.
func (a *api) createEndpoint(w http.ResponseWriter, r *http.Request, _, key string) {
	if !a.admitAccount(w, key) {
		return
	}
	req, ok := a.readEndpointRequest(w, r)
	if !ok {
		return
	}
	e := a.newEndpoint(*req.url, req.events, newSecret())
	if req.description != nil {
		e.description = *req.description
	}
	if req.status != nil {
		e.status = *req.status
	}
	if !a.hooks.add(e) {
		a.badRequest(w, "url", "the account has its maximum of "+strconv.Itoa(a.hooks.limit())+" webhook endpoints")
		return
	}
	a.s.Log().Info("sim: webhook endpoint created", "id", e.id, "events", strings.Join(e.events, ","))
	if !e.near && !a.remote.Load() {
		a.s.Log().Warn("sim: webhook endpoint beyond loopback gets no events (--sim-option remote-webhooks=true posts to it)", "id", e.id)
	}
	a.writeEndpoint(w, e, true)
}

// loopbackURL reports whether raw names a loopback host ("localhost" or a
// loopback IP; names are not resolved).
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && netguard.IsLoopbackHost(u.Hostname())
}

// newEndpoint makes an active endpoint (not yet stored).
func (a *api) newEndpoint(u string, events []string, secret string) *endpoint {
	now := a.s.Now().Unix()
	id := newEndpointID()
	return &endpoint{id: id, url: u, events: events, status: epActive, secret: secret, created: now, updated: now,
		header: http.Header{"X-Webhook-Endpoint-Id": {id}}, near: loopbackURL(u),
		health: &health{limit: a.opts.suspendAfter, window: a.s.Scale(time.Minute), pause: a.s.Scale(a.opts.suspendFor)}}
}

// listEndpoints is GET /webhookEndpoints: a WebhookEndpointPage.
func (a *api) listEndpoints(w http.ResponseWriter, r *http.Request, _, key string) {
	if !a.admitAccount(w, key) {
		return
	}
	if fs := a.v.Request(r, nil); len(fs) > 0 {
		a.findingsError(w, fs)
		return
	}
	q := r.URL.Query()
	page, limit := queryInt(q, "page", 1), queryInt(q, "limit", 10)
	all := a.hooks.all()
	offset := min((page-1)*limit, len(all))
	items := all[offset:min(offset+limit, len(all))]
	b := fmt.Appendf(nil, `{"offset":%d,"limit":%d,"length":%d`, offset, limit, len(items))
	if q.Get("includeTotal") == "true" {
		b = fmt.Appendf(b, `,"total":%d`, len(all))
	}
	b = append(b, `,"items":[`...)
	now := a.s.Now()
	for i, e := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEndpoint(b, e, false, now)
	}
	a.writeJSON(w, http.StatusOK, append(b, "]}"...))
}

func queryInt(q url.Values, name string, def int) int {
	if n, err := strconv.Atoi(q.Get(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// getEndpoint is GET /webhookEndpoints/{id} (without the secret).
func (a *api) getEndpoint(w http.ResponseWriter, _ *http.Request, e *endpoint) {
	a.writeEndpoint(w, e, false)
}

// patchEndpoint is PATCH /webhookEndpoints/{id}: the fields given change;
// setting status active ends a suspension.
func (a *api) patchEndpoint(w http.ResponseWriter, r *http.Request, e *endpoint) {
	req, ok := a.readEndpointRequest(w, r)
	if !ok {
		return
	}
	now := a.s.Now().Unix()
	n := a.hooks.update(e.id, func(c *endpoint) {
		if req.url != nil {
			c.url, c.near = *req.url, loopbackURL(*req.url)
		}
		if req.hasEvents {
			c.events = req.events
		}
		if req.description != nil {
			c.description = *req.description
		}
		if req.status != nil {
			c.status = *req.status
		}
		c.updated = now
	})
	if n == nil {
		a.writeError(w, apiErr{status: http.StatusNotFound, code: codeNotFound, target: "id", message: "no webhook endpoint " + e.id})
		return
	}
	if req.status != nil && *req.status == epActive {
		n.health.resume()
	}
	a.writeEndpoint(w, n, false)
}

// deleteEndpoint is DELETE /webhookEndpoints/{id}: 200 with the endpoint
// deleted.
func (a *api) deleteEndpoint(w http.ResponseWriter, _ *http.Request, e *endpoint) {
	if a.hooks.remove(e.id) == nil {
		a.writeError(w, apiErr{status: http.StatusNotFound, code: codeNotFound, target: "id", message: "no webhook endpoint " + e.id})
		return
	}
	a.s.Log().Info("sim: webhook endpoint deleted", "id", e.id)
	a.writeEndpoint(w, e, false)
}

// rotateSecret is POST /webhookEndpoints/{id}/rotateSecret: a new secret,
// returned in the answer; events sent from now on use it.
func (a *api) rotateSecret(w http.ResponseWriter, _ *http.Request, e *endpoint) {
	secret, now := newSecret(), a.s.Now().Unix()
	n := a.hooks.update(e.id, func(c *endpoint) { c.secret, c.updated = secret, now })
	if n == nil {
		a.writeError(w, apiErr{status: http.StatusNotFound, code: codeNotFound, target: "id", message: "no webhook endpoint " + e.id})
		return
	}
	a.writeEndpoint(w, n, true)
}

// writeEndpoint answers 200 with the endpoint; the secret only when asked.
func (a *api) writeEndpoint(w http.ResponseWriter, e *endpoint, withSecret bool) {
	a.writeJSON(w, http.StatusOK, appendEndpoint(nil, e, withSecret, a.s.Now()))
}

// appendEndpoint appends the WebhookEndpoint object.
func appendEndpoint(b []byte, e *endpoint, withSecret bool, now time.Time) []byte {
	b = append(b, `{"id":`...)
	b = jsonw.AppendString(b, e.id)
	b = append(b, `,"url":`...)
	b = jsonw.AppendString(b, e.url)
	b = append(b, `,"enabledEvents":[`...)
	for i, ev := range e.events {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, ev)
	}
	b = append(b, ']')
	if e.description != "" {
		b = append(b, `,"description":`...)
		b = jsonw.AppendString(b, e.description)
	}
	b = append(b, `,"status":`...)
	b = jsonw.AppendString(b, e.effectiveStatus(now))
	if withSecret {
		b = append(b, `,"secret":`...)
		b = jsonw.AppendString(b, e.secret)
	}
	b = append(b, `,"createTime":`...)
	b = appendTime(b, e.created, false)
	b = append(b, `,"updateTime":`...)
	b = appendTime(b, e.updated, false)
	return append(b, '}')
}

// registerConfigured makes an endpoint per distinct URL of
// Config.CallbackURLs (by callback kind, that is event type), so a
// simulator can start with webhooks in place; their secret is the
// webhook-secret option's, or a random one.
func (a *api) registerConfigured(urls map[string]string) error {
	byURL := map[string][]string{}
	for kind, u := range urls {
		if !slices.Contains(ycloud.EventTypes(), kind) {
			return fmt.Errorf("sim config: CallbackURLs: ycloud has no callback kind %q (known: %s)", kind, strings.Join(ycloud.EventTypes(), ", "))
		}
		if u != "" {
			byURL[u] = append(byURL[u], kind)
		}
	}
	urlsSorted := make([]string, 0, len(byURL))
	for u := range byURL {
		urlsSorted = append(urlsSorted, u)
	}
	sort.Strings(urlsSorted)
	for _, u := range urlsSorted {
		secret := a.opts.webhookSecret
		if secret == "" {
			secret = newSecret()
		}
		kinds := byURL[u]
		sort.Slice(kinds, func(i, j int) bool { return kinds[i] > kinds[j] }) // message.updated first
		e := a.newEndpoint(u, kinds, secret)
		e.near = true // the operator's own
		if !a.hooks.add(e) {
			return fmt.Errorf("sim config: CallbackURLs: more than %d webhook endpoints", a.hooks.limit())
		}
	}
	return nil
}
