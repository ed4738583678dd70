package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wabcheck/wabcheck/internal/redact"
)

// adminPrefix is where the admin API lives, apart from the vendor API.
const adminPrefix = "/_sim/"

// serveAdmin routes /_sim/{rest}.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, rest string) {
	switch {
	case rest == "stats" && r.Method == http.MethodGet:
		s.adminJSON(w, http.StatusOK, s.Stats())
	case rest == "config" && r.Method == http.MethodGet:
		s.adminJSON(w, http.StatusOK, s.adminConfig())
	case rest == "config" && r.Method == http.MethodPatch:
		s.patchConfig(w, r)
	case rest == "faults":
		s.adminFaults(w, r)
	case strings.HasPrefix(rest, "faults/"):
		s.adminFault(w, r, strings.TrimPrefix(rest, "faults/"))
	case rest == "reply" && r.Method == http.MethodPost:
		s.adminReply(w, r)
	case strings.HasPrefix(rest, "messages/"):
		s.adminMessage(w, r, strings.TrimPrefix(rest, "messages/"))
	default:
		s.writeError(w, http.StatusNotFound, "path", codeNotFound, "no admin endpoint "+r.Method+" /_sim/"+rest+"; see docs/simulator.md")
	}
}

func (s *Server) adminJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		s.writeError(w, http.StatusInternalServerError, "body", codeServerError, err.Error())
		return
	}
	s.writeJSON(w, status, append(b, '\n'))
}

// decodeAdmin decodes a JSON admin body strictly; on error (invalid
// UTF-8 included) it answers 400.
func (s *Server) decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		s.writeError(w, http.StatusBadRequest, "body", codeInvalid, "the body could not be read")
		return false
	}
	if !utf8.Valid(b) {
		s.badUTF8(w, b)
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		s.writeError(w, http.StatusBadRequest, "body", codeInvalid, err.Error())
		return false
	}
	return true
}

// AdminConfig is the run-time configuration shown and changed by
// GET/PATCH /_sim/config. Durations are Go duration strings ("20ms").
type AdminConfig struct {
	StatusCallbackURL *string         `json:"status_callback_url,omitempty"`
	ReplyCallbackURL  *string         `json:"reply_callback_url,omitempty"`
	RateLimit         *int            `json:"rate_limit,omitempty"`
	RateBurst         *int            `json:"rate_burst,omitempty"`
	Lifecycle         *AdminLifecycle `json:"lifecycle,omitempty"`
	ReadRatio         *float64        `json:"read_ratio,omitempty"`
	FailRatio         *float64        `json:"fail_ratio,omitempty"`
	RejectRatio       *float64        `json:"reject_ratio,omitempty"`
	ExpireRatio       *float64        `json:"expire_ratio,omitempty"`
}

// AdminLifecycle is Lifecycle with duration strings.
type AdminLifecycle struct {
	Submit  string `json:"submit,omitempty"`
	Send    string `json:"send,omitempty"`
	Deliver string `json:"deliver,omitempty"`
	Read    string `json:"read,omitempty"`
	Jitter  string `json:"jitter,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// adminConfig is the current configuration, callback credentials redacted.
func (s *Server) adminConfig() AdminConfig {
	d := s.dynamic.Load()
	rs := s.rl.Load()
	l := d.lifecycle
	return AdminConfig{
		StatusCallbackURL: ptr(redact.URL(d.statusURL)), ReplyCallbackURL: ptr(redact.URL(d.replyURL)),
		RateLimit: ptr(rs.rate), RateBurst: ptr(rs.burst),
		Lifecycle: &AdminLifecycle{Submit: l.Submit.String(), Send: l.Send.String(), Deliver: l.Deliver.String(),
			Read: l.Read.String(), Jitter: l.Jitter.String()},
		ReadRatio: ptr(d.ratios.read), FailRatio: ptr(d.ratios.fail), RejectRatio: ptr(d.ratios.reject), ExpireRatio: ptr(d.ratios.expire),
	}
}

// patchConfig applies the fields given; nothing changes when one is bad.
func (s *Server) patchConfig(w http.ResponseWriter, r *http.Request) {
	var p AdminConfig
	if !s.decodeAdmin(w, r, &p) {
		return
	}
	if err := s.ApplyConfig(p); err != nil {
		s.writeError(w, http.StatusBadRequest, "body", codeInvalid, err.Error())
		return
	}
	s.adminJSON(w, http.StatusOK, s.adminConfig())
}

// ApplyConfig changes the run-time configuration: the fields of p that are
// set. It checks every field before changing any.
func (s *Server) ApplyConfig(p AdminConfig) error {
	d := *s.dynamic.Load()
	rs := s.rl.Load()
	rate, burst := rs.rate, rs.burst
	if p.StatusCallbackURL != nil {
		d.statusURL = *p.StatusCallbackURL
	}
	if p.ReplyCallbackURL != nil {
		d.replyURL = *p.ReplyCallbackURL
	}
	if p.RateLimit != nil {
		rate = *p.RateLimit
	}
	if p.RateBurst != nil {
		burst = *p.RateBurst
	}
	if p.Lifecycle != nil {
		l, err := p.Lifecycle.apply(d.lifecycle)
		if err != nil {
			return err
		}
		d.lifecycle = l
	}
	for _, f := range []struct {
		v   *float64
		dst *float64
	}{{p.ReadRatio, &d.ratios.read}, {p.FailRatio, &d.ratios.fail}, {p.RejectRatio, &d.ratios.reject}, {p.ExpireRatio, &d.ratios.expire}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if err := s.checkDynamic(d, rate, burst); err != nil {
		return err
	}
	s.dynamic.Store(&d)
	if p.RateLimit != nil || p.RateBurst != nil {
		s.setRateLimit(rate, burst)
	}
	s.log.Info("sim: configuration changed", "status_callback_url", redact.URL(d.statusURL),
		"reply_callback_url", redact.URL(d.replyURL), "rate_limit", rate)
	return nil
}

// checkDynamic validates a new run-time configuration with Config.Validate.
func (s *Server) checkDynamic(d dynamicConfig, rate, burst int) error {
	c := s.cfg
	c.StatusCallbackURL, c.ReplyCallbackURL = d.statusURL, d.replyURL
	c.RateLimit, c.RateBurst, c.Lifecycle = rate, burst, d.lifecycle
	c.ReadRatio, c.FailRatio, c.RejectRatio, c.ExpireRatio = d.ratios.read, d.ratios.fail, d.ratios.reject, d.ratios.expire
	c.Faults = nil
	if err := c.Validate(); err != nil {
		return err
	}
	if rate > s.rateMax {
		return fmt.Errorf("rate_limit %d exceeds the spec's X-RateLimit-Limit maximum %d", rate, s.rateMax)
	}
	return nil
}

func (a AdminLifecycle) apply(l Lifecycle) (Lifecycle, error) {
	for _, f := range []struct {
		name, v string
		dst     *time.Duration
	}{{"submit", a.Submit, &l.Submit}, {"send", a.Send, &l.Send}, {"deliver", a.Deliver, &l.Deliver}, {"read", a.Read, &l.Read}, {"jitter", a.Jitter, &l.Jitter}} {
		if f.v == "" {
			continue
		}
		d, err := time.ParseDuration(f.v)
		if err != nil {
			return l, fmt.Errorf("lifecycle.%s: %w", f.name, err)
		}
		*f.dst = d
	}
	return l, l.Validate()
}

// faultsView is GET /_sim/faults.
type faultsView struct {
	Active    []FaultSetting   `json:"active"`
	Fired     map[string]int64 `json:"fired"`
	Catalogue []Fault          `json:"catalogue"`
}

// adminFaults serves GET (list), PUT (replace the active set) and DELETE
// (switch all off) on /_sim/faults.
func (s *Server) adminFaults(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPut:
		var list []FaultSetting
		if !s.decodeAdmin(w, r, &list) {
			return
		}
		for i := range list {
			if list[i].Ratio == 0 {
				list[i].Ratio = 1
			}
			if err := list[i].check(); err != nil {
				s.writeError(w, http.StatusBadRequest, "body", codeInvalid, err.Error())
				return
			}
		}
		s.SetFaults(list)
	case http.MethodDelete:
		s.SetFaults(nil)
	default:
		w.Header()["Allow"] = []string{"GET, PUT, DELETE"}
		s.writeError(w, http.StatusMethodNotAllowed, "method", codeMethodNotAllowed, "use GET, PUT or DELETE")
		return
	}
	s.adminJSON(w, http.StatusOK, faultsView{Active: nonNil(s.faults.active()), Fired: s.faults.firedCounts(), Catalogue: Faults()})
}

// adminFault serves PUT (switch on, body {"ratio": r} optional) and DELETE
// (switch off) on /_sim/faults/{name}.
func (s *Server) adminFault(w http.ResponseWriter, r *http.Request, name string) {
	f := FaultSetting{Name: name, Ratio: 1}
	if _, ok := faultByName(name); !ok {
		s.writeError(w, http.StatusNotFound, "name", codeNotFound, "unknown fault "+name)
		return
	}
	list := s.faults.active()
	out := list[:0]
	for _, a := range list {
		if a.Name != name {
			out = append(out, a)
		}
	}
	switch r.Method {
	case http.MethodPut:
		if r.ContentLength != 0 {
			var body struct {
				Ratio float64 `json:"ratio"`
			}
			if !s.decodeAdmin(w, r, &body) {
				return
			}
			if body.Ratio != 0 {
				f.Ratio = body.Ratio
			}
		}
		if err := f.check(); err != nil {
			s.writeError(w, http.StatusBadRequest, "ratio", codeInvalid, err.Error())
			return
		}
		out = append(out, f)
	case http.MethodDelete:
	default:
		w.Header()["Allow"] = []string{"PUT, DELETE"}
		s.writeError(w, http.StatusMethodNotAllowed, "method", codeMethodNotAllowed, "use PUT or DELETE")
		return
	}
	s.SetFaults(out)
	s.adminJSON(w, http.StatusOK, faultsView{Active: nonNil(s.faults.active()), Fired: s.faults.firedCounts(), Catalogue: Faults()})
}

func nonNil(l []FaultSetting) []FaultSetting {
	if l == nil {
		return []FaultSetting{}
	}
	return l
}

// SetFaults replaces the active faults (nil switches all off). Unknown
// names are ignored; use ParseFault or LoadFaults to check them first.
func (s *Server) SetFaults(list []FaultSetting) {
	s.faults.replace(list)
	s.log.Info("sim: faults set", "active", s.faults.active())
}

// adminReply is POST /_sim/reply: inject an MO message.
func (s *Server) adminReply(w http.ResponseWriter, r *http.Request) {
	var mo MO
	if !s.decodeAdmin(w, r, &mo) {
		return
	}
	id, err := s.InjectReply(r.Context(), mo)
	if err != nil && id == "" {
		s.writeError(w, http.StatusBadRequest, "type", codeInvalid, err.Error())
		return
	}
	s.adminJSON(w, http.StatusAccepted, map[string]string{"id": id})
}

// adminMessage serves GET /_sim/messages/{id} (internal view) and POST
// /_sim/messages/{id}/read (the recipient reads it).
func (s *Server) adminMessage(w http.ResponseWriter, r *http.Request, rest string) {
	idStr, action, _ := strings.Cut(rest, "/")
	m := s.lookup(w, "id", idStr)
	if m == nil {
		return
	}
	switch {
	case action == "read" && r.Method == http.MethodPost:
		switch s.markRead(m) {
		case readFailed:
			s.writeError(w, http.StatusConflict, "id", codeNotReadable, "the message failed; it cannot be read")
			return
		case readAlready:
			s.adminJSON(w, http.StatusOK, map[string]string{"id": idStr, "result": "already read or about to be"})
			return
		}
		s.adminJSON(w, http.StatusAccepted, map[string]string{"id": idStr, "result": "the recipient reads it"})
	case action == "" && r.Method == http.MethodGet:
		s.adminJSON(w, http.StatusOK, s.adminView(m))
	default:
		s.writeError(w, http.StatusNotFound, "path", codeNotFound, "use GET /_sim/messages/{id} or POST /_sim/messages/{id}/read")
	}
}

// adminView is a message's internal state.
func (s *Server) adminView(m *message) map[string]any {
	d := s.details(m)
	sh := s.store.shard(m.id)
	sh.mu.Lock()
	view := map[string]any{"details": d, "walk": m.walk.name, "read_wanted": m.readWanted, "finished": m.doneAtNanos != 0}
	sh.mu.Unlock()
	var names []string
	for i, f := range []uint32{mfOutOfOrder, mfIllegal, mfLate} {
		if m.faults&f != 0 {
			names = append(names, []string{"dlr-out-of-order", "dlr-illegal-transition", "dlr-late"}[i])
		}
	}
	view["faults"] = names
	return view
}
