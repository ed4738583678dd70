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
		adminError(w, http.StatusNotFound, "path", CodeNotFound, "no admin endpoint "+r.Method+" /_sim/"+rest+"; see docs/simulator.md")
	}
}

// adminError answers the admin API's error shape: {"errors": [{field,
// code, description}]}, the same for every vendor.
func adminError(w http.ResponseWriter, status int, field, code, desc string) {
	body, _ := json.Marshal(map[string][]map[string]string{"errors": {{"field": field, "code": code, "description": desc}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

func (s *Server) adminJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		adminError(w, http.StatusInternalServerError, "body", CodeServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// decodeAdmin decodes a JSON admin body strictly; on error (invalid
// UTF-8 included) it answers 400.
func (s *Server) decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		adminError(w, http.StatusBadRequest, "body", CodeInvalid, "the body could not be read")
		return false
	}
	if !utf8.Valid(b) {
		field := BadUTF8Field(b)
		adminError(w, http.StatusBadRequest, field, CodeInvalidUTF8, field+" is not valid UTF-8")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		adminError(w, http.StatusBadRequest, "body", CodeInvalid, err.Error())
		return false
	}
	return true
}

// AdminConfig is the run-time configuration shown and changed by
// GET/PATCH /_sim/config. Durations are Go duration strings ("20ms").
type AdminConfig struct {
	// CallbackURLs sets callback URLs by kind (those given; "" switches a
	// kind off).
	CallbackURLs map[string]string `json:"callback_urls,omitempty"`
	RateLimit    *int              `json:"rate_limit,omitempty"`
	RateBurst    *int              `json:"rate_burst,omitempty"`
	Lifecycle    *AdminLifecycle   `json:"lifecycle,omitempty"`
	ReadRatio    *float64          `json:"read_ratio,omitempty"`
	FailRatio    *float64          `json:"fail_ratio,omitempty"`
	RejectRatio  *float64          `json:"reject_ratio,omitempty"`
	ExpireRatio  *float64          `json:"expire_ratio,omitempty"`
	Disorder     *Disorder         `json:"disorder,omitempty"`
	// Options are the wire's settings that may change at run time
	// (LiveOptioner), by name; a wire without such settings refuses them.
	Options map[string]string `json:"options,omitempty"`
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
	urls := map[string]string{}
	for k, u := range d.callbackURLs {
		urls[k] = redact.URL(u)
	}
	return AdminConfig{
		CallbackURLs: urls, Disorder: ptr(d.disorder),
		RateLimit: ptr(rs.rate), RateBurst: ptr(rs.burst),
		Lifecycle: &AdminLifecycle{Submit: l.Submit.String(), Send: l.Send.String(), Deliver: l.Deliver.String(),
			Read: l.Read.String(), Jitter: l.Jitter.String()},
		ReadRatio: ptr(d.ratios.read), FailRatio: ptr(d.ratios.fail), RejectRatio: ptr(d.ratios.reject), ExpireRatio: ptr(d.ratios.expire),
		Options: s.liveOptions(),
	}
}

// liveOptions are the wire's run-time settings (nil for a wire without).
func (s *Server) liveOptions() map[string]string {
	if lo, ok := s.wire.(LiveOptioner); ok {
		return lo.OptionValues()
	}
	return nil
}

// setOptions applies run-time wire settings: names the wire lists, values
// it accepts; nothing changes on an error.
func (s *Server) setOptions(set map[string]string) error {
	if err := checkOptions(s.wire, set); err != nil {
		return err
	}
	lo, ok := s.wire.(LiveOptioner)
	if !ok {
		return fmt.Errorf("options: %s has no setting that may change at run time", s.wire.Dialect().Info().Name)
	}
	return lo.SetOptions(set)
}

// patchConfig applies the fields given; nothing changes when one is bad.
func (s *Server) patchConfig(w http.ResponseWriter, r *http.Request) {
	var p AdminConfig
	if !s.decodeAdmin(w, r, &p) {
		return
	}
	if err := s.ApplyConfig(p); err != nil {
		adminError(w, http.StatusBadRequest, "body", CodeInvalid, err.Error())
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
	if p.CallbackURLs != nil {
		d.callbackURLs = copyURLs(d.callbackURLs)
		for k, u := range p.CallbackURLs {
			d.callbackURLs[k] = u
		}
	}
	if p.Disorder != nil {
		d.disorder = *p.Disorder
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
	if p.Options != nil {
		if err := s.setOptions(p.Options); err != nil {
			return err
		}
	}
	s.dynamic.Store(&d)
	if p.RateLimit != nil || p.RateBurst != nil {
		s.setRateLimit(rate, burst)
	}
	s.log.Info("sim: configuration changed", "callback_urls", len(d.callbackURLs), "rate_limit", rate)
	return nil
}

// checkDynamic validates a new run-time configuration with Config.Validate.
func (s *Server) checkDynamic(d dynamicConfig, rate, burst int) error {
	c := s.cfg
	c.CallbackURLs, c.Disorder = d.callbackURLs, &d.disorder
	c.RateLimit, c.RateBurst, c.Lifecycle = rate, burst, d.lifecycle
	c.ReadRatio, c.FailRatio, c.RejectRatio, c.ExpireRatio = d.ratios.read, d.ratios.fail, d.ratios.reject, d.ratios.expire
	c.Faults = nil
	if err := c.Validate(); err != nil {
		return err
	}
	if s.rateMax > 0 && rate > s.rateMax {
		return fmt.Errorf("rate_limit %d exceeds the spec's maximum %d", rate, s.rateMax)
	}
	return s.checkRatios(d.ratios)
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
			if err := s.faults.cat.check(list[i]); err != nil {
				adminError(w, http.StatusBadRequest, "body", CodeInvalid, err.Error())
				return
			}
		}
		s.SetFaults(list)
	case http.MethodDelete:
		s.SetFaults(nil)
	default:
		w.Header()["Allow"] = []string{"GET, PUT, DELETE"}
		adminError(w, http.StatusMethodNotAllowed, "method", CodeMethodNotAllowed, "use GET, PUT or DELETE")
		return
	}
	s.adminJSON(w, http.StatusOK, faultsView{Active: nonNil(s.faults.active()), Fired: s.faults.firedCounts(), Catalogue: s.faults.cat.list})
}

// adminFault serves PUT (switch on, body {"ratio": r} optional) and DELETE
// (switch off) on /_sim/faults/{name}.
func (s *Server) adminFault(w http.ResponseWriter, r *http.Request, name string) {
	f := FaultSetting{Name: name, Ratio: 1}
	if _, ok := s.faults.cat.byName(name); !ok {
		adminError(w, http.StatusNotFound, "name", CodeNotFound, "unknown fault "+name)
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
		if err := f.checkRatio(); err != nil {
			adminError(w, http.StatusBadRequest, "ratio", CodeInvalid, err.Error())
			return
		}
		out = append(out, f)
	case http.MethodDelete:
	default:
		w.Header()["Allow"] = []string{"PUT, DELETE"}
		adminError(w, http.StatusMethodNotAllowed, "method", CodeMethodNotAllowed, "use PUT or DELETE")
		return
	}
	s.SetFaults(out)
	s.adminJSON(w, http.StatusOK, faultsView{Active: nonNil(s.faults.active()), Fired: s.faults.firedCounts(), Catalogue: s.faults.cat.list})
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

// adminReply is POST /_sim/reply: inject an inbound (customer) message.
func (s *Server) adminReply(w http.ResponseWriter, r *http.Request) {
	var in InboundRequest
	if !s.decodeAdmin(w, r, &in) {
		return
	}
	id, err := s.InjectInbound(r.Context(), in)
	if err != nil && id == "" {
		adminError(w, http.StatusBadRequest, "type", CodeInvalid, err.Error())
		return
	}
	s.adminJSON(w, http.StatusAccepted, map[string]string{"id": id})
}

// adminMessage serves GET /_sim/messages/{id} (internal view) and POST
// /_sim/messages/{id}/read (the recipient reads it). {id} is the id as the
// wire formats it.
func (s *Server) adminMessage(w http.ResponseWriter, r *http.Request, rest string) {
	idStr, action, _ := strings.Cut(rest, "/")
	id, ok := s.wire.ParseID(idStr)
	m := s.Get(id)
	if !ok || m == nil {
		adminError(w, http.StatusNotFound, "id", CodeNotFound, "no message with this id (unknown, or expired after the TTL)")
		return
	}
	switch {
	case action == "read" && r.Method == http.MethodPost:
		s.adminRead(w, m, idStr)
	case action == "" && r.Method == http.MethodGet:
		s.adminJSON(w, http.StatusOK, s.adminView(m))
	default:
		adminError(w, http.StatusNotFound, "path", CodeNotFound, "use GET /_sim/messages/{id} or POST /_sim/messages/{id}/read")
	}
}

func (s *Server) adminRead(w http.ResponseWriter, m *Message, idStr string) {
	switch s.MarkRead(m) {
	case ReadFailed:
		adminError(w, http.StatusConflict, "id", CodeNotReadable, "the message failed; it cannot be read")
	case ReadAlready:
		s.adminJSON(w, http.StatusOK, map[string]string{"id": idStr, "result": "already read or about to be"})
	default:
		s.adminJSON(w, http.StatusAccepted, map[string]string{"id": idStr, "result": "the recipient reads it"})
	}
}

// adminView is a message's internal state.
func (s *Server) adminView(m *Message) map[string]any {
	st := s.State(m)
	view := map[string]any{"id": s.wire.FormatID(m.ID), "to": m.To, "reference": m.Reference, "type": m.Type,
		"inbound": m.Inbound, "status": st.Status, "status_times": st.Times, "walk": st.Walk,
		"read_wanted": st.ReadWanted, "finished": st.Finished}
	var names []string
	for i, f := range []uint32{mfOutOfOrder, mfIllegal, mfLate, mfDuplicate, mfSkip} {
		if m.faults&f != 0 {
			names = append(names, []string{"out-of-order", "dlr-illegal-transition", "dlr-late", "duplicate", "skip"}[i])
		}
	}
	view["faults"] = names
	return view
}
