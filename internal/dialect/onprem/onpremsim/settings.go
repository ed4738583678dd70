package onpremsim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
)

// Defaults of the application settings (the spec's Application-Settings
// and Webhooks defaults; Meta's sample settings).
const (
	defaultBackoffMs     = 3000
	defaultMaxBackoffMs  = 900000
	defaultMaxConcurrent = 6
)

// settingsStore is the application settings besides the webhook URL
// (which the core keeps as the callback URL of the webhook format).
type settingsStore struct {
	mu            sync.Mutex
	sentStatus    bool
	backoffMs     int64
	maxBackoffMs  int64
	maxConcurrent int64
	other         map[string]any // further settings, as last PATCHed
}

func (ss *settingsStore) init(sentStatus bool) {
	ss.sentStatus, ss.backoffMs, ss.maxBackoffMs, ss.maxConcurrent = sentStatus, defaultBackoffMs, defaultMaxBackoffMs, defaultMaxConcurrent
	ss.other = map[string]any{"callback_persist": true, "pass_through": true, "heartbeat_interval": 5, "unhealthy_interval": 30}
}

// SentStatus reports whether sent notifications are on.
func (ss *settingsStore) SentStatus() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.sentStatus
}

// view is the application object of GET /settings/application.
func (ss *settingsStore) view(url string) map[string]any {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	app := make(map[string]any, len(ss.other)+4)
	for k, v := range ss.other {
		app[k] = v
	}
	hooks := map[string]any{"max_concurrent_requests": ss.maxConcurrent}
	if url != "" {
		hooks["url"] = url
	}
	app["webhooks"], app["sent_status"] = hooks, ss.sentStatus
	app["callback_backoff_delay_ms"], app["max_callback_backoff_delay_ms"] = ss.backoffMs, ss.maxBackoffMs
	return app
}

// getSettings is GET /settings/application: {settings: {application},
// meta}. The webhook URL is shown as set (it may carry basic-auth
// credentials, as the user gave them).
func (a *api) getSettings(w http.ResponseWriter, _ *http.Request, _ string) {
	body, _ := json.Marshal(map[string]any{"settings": map[string]any{"application": a.settings.view(a.webhookURL())},
		"meta": json.RawMessage(metaJSON)})
	a.writeJSON(w, http.StatusOK, body)
}

// patchSettings is PATCH /settings/application: the fields sent change,
// the others stay. webhooks.url sets the webhook URL ("" removes it);
// sent_status switches sent notifications; the backoff settings are kept
// and shown (the simulator's retry schedule is set at start: see
// RetrySchedule).
func (a *api) patchSettings(w http.ResponseWriter, r *http.Request, _ string) {
	val, ok := a.validJSON(w, r)
	if !ok {
		return
	}
	p := asMap(val)
	if hooks := obj(p, "webhooks"); hooks != nil {
		if u, ok := hooks["url"].(string); ok {
			if err := a.s.SetCallbackURL(a.o.format, u); err != nil {
				a.writeError(w, http.StatusBadRequest, onprem.CodeParamInvalid, "webhooks.url: "+err.Error())
				return
			}
		}
	}
	a.settings.apply(p)
	a.writeMeta(w)
}

// apply changes the settings p sets (validated against the spec).
func (ss *settingsStore) apply(p map[string]any) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for k, v := range p {
		switch k {
		case "webhooks":
			if n, ok := obj(p, k)["max_concurrent_requests"].(float64); ok {
				ss.maxConcurrent = int64(n)
			}
		case "sent_status":
			ss.sentStatus, _ = v.(bool)
		case "callback_backoff_delay_ms":
			ss.backoffMs = millis(v, ss.backoffMs)
		case "max_callback_backoff_delay_ms":
			ss.maxBackoffMs = millis(v, ss.maxBackoffMs)
		default:
			ss.other[k] = v
		}
	}
}

// millis reads a number of milliseconds given as a number or a digit
// string (erratum E7); def when it is neither.
func millis(v any, def int64) int64 {
	switch t := v.(type) {
	case float64:
		return int64(t)
	case string:
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return n
		}
	}
	return def
}

// health is GET /health: the single-instance answer.
func (a *api) health(w http.ResponseWriter, _ *http.Request, _ string) {
	a.writeJSON(w, http.StatusOK, []byte(`{"health":{"gateway_status":"connected"},"meta":`+metaJSON+`}`))
}

// RetrySchedule implements sim.RetryScheduler: the client's linear
// backoff: callback_backoff_delay_ms more after each failure (3 s, 6 s, 9
// s, …), capped at max_callback_backoff_delay_ms (15 min), with the
// default settings (the core reads it once, at start).
func (*api) RetrySchedule() []time.Duration {
	step, ceiling := time.Duration(defaultBackoffMs)*time.Millisecond, time.Duration(defaultMaxBackoffMs)*time.Millisecond
	var out []time.Duration
	for d := step; d < ceiling; d += step {
		out = append(out, d)
	}
	return append(out, ceiling)
}
