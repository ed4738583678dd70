package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/callbacks"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/report"
)

// waitFor waits until done holds for the message's DLRs, at most until
// DLRTimeout after the message was sent.
func (s *Scenario) waitFor(ctx context.Context, m *sent, done func([]callbacks.Event) bool) ([]callbacks.Event, error) {
	wctx, cancel := context.WithDeadline(ctx, m.at.Add(s.env.DLRTimeout))
	defer cancel()
	return s.env.Receiver.Wait(wctx, m.id, done)
}

// hasFinal reports whether a final status arrived.
func (s *Scenario) hasFinal(evs []callbacks.Event) bool {
	for _, e := range evs {
		if s.env.Dialect.Statuses().IsFinal(e.Status) {
			return true
		}
	}
	return false
}

func (s *Scenario) untilFinal(ctx context.Context) error {
	m, err := s.lastMessage()
	if err != nil {
		return err
	}
	return s.awaitFinal(ctx, m)
}

func (s *Scenario) everyUntilFinal(ctx context.Context) error {
	if len(s.messages) == 0 {
		return fmt.Errorf("no message was accepted in this scenario")
	}
	var errs []error
	for _, m := range s.messages {
		errs = append(errs, s.awaitFinal(ctx, m))
	}
	return errors.Join(errs...)
}

// awaitFinal waits for a final DLR, then listens Settle longer for
// duplicates and stragglers.
func (s *Scenario) awaitFinal(ctx context.Context, m *sent) error {
	evs, err := s.waitFor(ctx, m, s.hasFinal)
	if err != nil {
		return s.noFinal(m, "a final delivery receipt ("+s.env.Dialect.Statuses().FinalNames()+")", evs)
	}
	s.settle(ctx, m)
	return nil
}

func (s *Scenario) settle(ctx context.Context, m *sent) {
	if s.env.Settle <= 0 {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, s.env.Settle)
	defer cancel()
	_, _ = s.env.Receiver.Wait(sctx, m.id, func([]callbacks.Event) bool { return false })
}

// noFinal explains a wait that ran out.
func (s *Scenario) noFinal(m *sent, want string, evs []callbacks.Event) error {
	if len(evs) == 0 {
		evs = s.env.Receiver.Events(m.id)
	}
	got := "no delivery receipt at all"
	if len(evs) > 0 {
		got = "only " + statusList(evs)
	}
	msg := fmt.Sprintf("message %s (to %s) within the DLR timeout (%v after sending)", m.id, m.dest, s.env.DLRTimeout)
	if a := s.env.CallbackAuth; a != nil {
		if _, bad := a.Seen(m.id); bad > 0 {
			got += fmt.Sprintf("; %d callbacks for it were refused for missing or wrong basic-auth credentials", bad)
		}
	}
	return expected(msg, want, got+s.strays())
}

// strays describes callbacks that could not be matched to a message the
// target issued: they often explain why a message's receipts are missing.
func (s *Scenario) strays() string {
	n, example := 0, ""
	for _, e := range s.env.Receiver.Unknown() {
		if e.MessageID != "" && s.env.Issued(e.MessageID) {
			continue
		}
		n++
		if example == "" {
			example = fmt.Sprintf("id %s, status %s", show(e.MessageID), show(e.Status))
			if len(e.Findings) > 0 {
				example += ": " + e.Findings[0].String()
			}
		}
	}
	more := s.env.Receiver.Summary().NotKept.Unknown
	if n+more == 0 {
		return ""
	}
	if n == 0 {
		return fmt.Sprintf("; meanwhile %d callbacks arrived for message ids never issued or unreadable (not kept)", more)
	}
	return fmt.Sprintf("; meanwhile %d callbacks arrived for message ids never issued or unreadable (first: %s)", n+more, example)
}

func statusList(evs []callbacks.Event) string {
	parts := make([]string, len(evs))
	for i, e := range evs {
		parts[i] = e.Status
		if e.Status == "" {
			parts[i] = "(no status)"
		}
	}
	return "[" + strings.Join(parts, " → ") + "]"
}

func (s *Scenario) reachesStatus(ctx context.Context, want string) error {
	m, err := s.lastMessage()
	if err != nil {
		return err
	}
	evs, err := s.waitFor(ctx, m, func(evs []callbacks.Event) bool { return s.settled(evs, want) })
	if err != nil {
		return s.noFinal(m, "status "+want, evs)
	}
	for _, e := range evs {
		if e.Status == want {
			s.settle(ctx, m)
			return nil
		}
	}
	if err := s.receiptsLegal(); err != nil {
		return err
	}
	return expected(fmt.Sprintf("message %s (to %s) final status", m.id, m.dest), want, statusList(evs))
}

// events returns the last message's DLRs, or an error when none came.
func (s *Scenario) events() (*sent, []callbacks.Event, error) {
	m, err := s.lastMessage()
	if err != nil {
		return nil, nil, err
	}
	evs := s.env.Receiver.Events(m.id)
	if len(evs) == 0 {
		return m, nil, expected(fmt.Sprintf("message %s delivery receipts", m.id), "at least one", "none")
	}
	return m, evs, nil
}

func (s *Scenario) receiptsValid() error {
	m, evs, err := s.events()
	if err != nil {
		return err
	}
	var problems []string
	for i, e := range evs {
		for _, f := range e.Findings {
			problems = append(problems, fmt.Sprintf("receipt %d (%s): %s", i+1, e.Status, f.String()))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("delivery receipts of message %s depart from the spec:\n  %s", m.id, strings.Join(problems, "\n  "))
	}
	return nil
}

func (s *Scenario) receiptsCarryIDRef() error {
	m, evs, err := s.events()
	if err != nil {
		return err
	}
	for i, e := range evs {
		if e.MessageID != m.id {
			return expected(fmt.Sprintf("receipt %d of message %s: id", i+1, m.id), m.id, show(e.MessageID))
		}
		if s.env.Dialect.Callbacks().ReferenceEcho() != dialect.EchoNone && m.ref != "" && e.Reference != m.ref {
			return expected(fmt.Sprintf("receipt %d (%s) of message %s: reference", i+1, e.Status, m.id), m.ref, show(e.Reference))
		}
	}
	return nil
}

// settled reports whether waiting for status want is over: want arrived,
// or a failure, or a final status further along than want (want cannot
// come any more).
func (s *Scenario) settled(evs []callbacks.Event, want string) bool {
	model := s.env.Dialect.Statuses()
	w, wantKnown := model.Lookup(want)
	for _, e := range evs {
		st, ok := model.Lookup(e.Status)
		switch {
		case e.Status == want:
			return true
		case !ok:
		case st.Failure, st.Final && (!wantKnown || st.Rank > w.Rank):
			return true
		}
	}
	return false
}

// receiptsLegal checks the message's status callbacks against the status
// model, independently of the receiver's flags: every status is one of
// the vendor's; a vendor that promises order (Modica) sends each status
// once and never one that may not follow the earlier ones; for a vendor
// that does not (YCloud, Meta), repeats and reversals are lawful.
func (s *Scenario) receiptsLegal() error {
	m, evs, err := s.events()
	if err != nil {
		return err
	}
	model := s.env.Dialect.Statuses()
	seen := map[string]int{}
	for i, e := range evs {
		what := fmt.Sprintf("message %s receipts %s: receipt %d", m.id, statusList(evs), i+1)
		st, known := model.Lookup(e.Status)
		if !known {
			return expected(what+" status", "a status of the vendor ("+strings.Join(model.Names(), ", ")+")", show(e.Status))
		}
		if !model.Ordered {
			continue
		}
		if j, dup := seen[e.Status]; dup || e.Duplicate {
			return expected(what, "each status once", fmt.Sprintf("%s again (first was receipt %d)", e.Status, j+1))
		}
		seen[e.Status] = i
		if i > 0 {
			prev, _ := model.Lookup(evs[i-1].Status)
			if !model.Follows(prev, st) || e.Illegal {
				return expected(what, fmt.Sprintf("a status that may follow %s", prev.Name), fmt.Sprintf("%s (illegal transition %s → %s)", st.Name, prev.Name, st.Name))
			}
		}
	}
	return nil
}

func (s *Scenario) noUnknownCallbacks(ctx context.Context) error {
	// A callback may come before its sender registered the id: judge once
	// the sends in flight now have ended.
	if err := s.env.sends.settle(ctx); err != nil {
		return fmt.Errorf("waiting for the sends in flight: %w", err)
	}
	var lines []string
	for _, e := range s.env.Receiver.Unknown() {
		if e.MessageID != "" && s.env.Issued(e.MessageID) {
			continue
		}
		line := fmt.Sprintf("%s callback at %s for id %s (status %s)", e.Kind, e.At.Format("15:04:05.000"), show(e.MessageID), show(e.Status))
		for _, f := range e.Findings {
			line += "\n    " + f.String()
		}
		lines = append(lines, line)
	}
	if more := s.env.Receiver.Summary().NotKept.Unknown; more > 0 {
		lines = append(lines, fmt.Sprintf("and %d more not kept (the receiver counts every callback, keeps a bounded number)", more))
	}
	if len(lines) > 0 {
		return expected("callbacks", "only callbacks for message ids the target issued",
			fmt.Sprintf("%d for unknown ids:\n  %s", len(lines), strings.Join(lines, "\n  ")))
	}
	return nil
}

func (s *Scenario) callbackURLCarriesCredentials() error {
	if s.env.CallbackAuth == nil {
		return fmt.Errorf("%w: the status callback URL carries no credentials (give --callback-url with user:password@ to check them)", godog.ErrSkip)
	}
	return nil
}

func (s *Scenario) receiptsAuthenticated() error {
	m, err := s.lastMessage()
	if err != nil {
		return err
	}
	a := s.env.CallbackAuth
	if a == nil {
		return fmt.Errorf("%w: the status callback URL carries no credentials", godog.ErrSkip)
	}
	good, bad := a.Seen(m.id)
	if bad > 0 || good == 0 {
		return expected(fmt.Sprintf("delivery receipts of message %s", m.id),
			fmt.Sprintf("HTTP Basic user %q with the URL's password on every one", a.User()),
			fmt.Sprintf("%d with them, %d with missing or wrong credentials", good, bad))
	}
	return nil
}

// injectReply makes the simulator receive a customer message (POST
// /_sim/reply) and remember its id.
func (s *Scenario) injectReply(ctx context.Context, kind string) error {
	if err := s.needInbound(); err != nil {
		return err
	}
	if s.env.AdminURL == "" {
		return fmt.Errorf("this step needs the simulator's admin API (/_sim/); tag the scenario @sim-only")
	}
	body, _ := json.Marshal(map[string]string{"type": kind})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(s.env.AdminURL, "/")+"/reply", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("POST /_sim/reply: %w", err)
	}
	req.Header.Set("Content-Type", jsonType)
	if err := dialect.Authorize(ctx, s.env.Auth, req); err != nil {
		return fmt.Errorf("POST /_sim/reply: credentials: %w", err)
	}
	s.replyStart = s.env.now()
	resp, err := s.env.Client.Do(req)
	if err != nil {
		return fmt.Errorf("POST /_sim/reply: %w", err)
	}
	defer resp.Body.Close()
	var ans struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil || resp.StatusCode/100 != 2 {
		return expected("POST /_sim/reply", "2XX with the reply's id", fmt.Sprintf("%d (%v)", resp.StatusCode, err))
	}
	s.replyID = ans.ID
	return nil
}

// needInbound skips, saying why, a step about inbound messages for a
// vendor whose callbacks bring none.
func (s *Scenario) needInbound() error {
	if !dialect.HasInbound(s.env.Dialect) {
		return fmt.Errorf("%w: %s", godog.ErrSkip, dialect.Lacks(s.env.Dialect, dialect.CapInbound))
	}
	return nil
}

func (s *Scenario) askForReply() error {
	if err := s.needInbound(); err != nil {
		return err
	}
	s.replyStart = s.env.now()
	if s.env.Prompt != nil {
		fmt.Fprintf(s.env.Prompt, "\n>>> ASSISTED STEP: from a phone with WhatsApp, send a text message (any words) to the business number %s.\n>>> Waiting up to %v for the reply callback…\n\n",
			s.env.BusinessNumber, s.env.ReplyTimeout)
	}
	return nil
}

// replyType is an inbound callback's message type: the dialect's reading,
// else (a body the dialect could not read) none.
func replyType(e callbacks.Event) string { return e.InboundType }

func (s *Scenario) replyArrives(ctx context.Context, kind string) error {
	timeout := s.env.ReplyTimeout
	if timeout <= 0 {
		timeout = s.env.DLRTimeout
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	e, err := s.env.Receiver.WaitReply(wctx, func(e callbacks.Event) bool {
		if s.replyID != "" {
			return e.MessageID == s.replyID
		}
		return !e.At.Before(s.replyStart) && replyType(e) == kind
	})
	if err != nil {
		return expected("reply callback", fmt.Sprintf("one of type %q within %v", kind, timeout), "none")
	}
	s.reply = &e
	s.replies = append(s.replies, e)
	if got := replyType(e); got != kind {
		return expected(fmt.Sprintf("reply callback %s content.type", e.MessageID), kind, show(got))
	}
	return nil
}

func (s *Scenario) replyValid() error {
	if s.reply == nil {
		return fmt.Errorf("no reply callback yet: a reply step must come first")
	}
	var problems []string
	for _, f := range s.reply.Findings {
		problems = append(problems, f.String())
	}
	if len(problems) > 0 {
		return fmt.Errorf("reply callback %s departs from the spec:\n  %s", s.reply.MessageID, strings.Join(problems, "\n  "))
	}
	return nil
}

// Messages returns the messages the scenario sent with their callbacks,
// for the run record.
func (s *Scenario) Messages() []report.Message {
	out := make([]report.Message, 0, len(s.messages))
	for _, m := range s.messages {
		rm := report.Message{ID: m.id, Reference: m.ref, Destination: m.dest, SentAt: m.at, CallbacksNotKept: s.env.Receiver.NotKeptFor(m.id)}
		for _, e := range s.env.Receiver.Events(m.id) {
			rm.Callbacks = append(rm.Callbacks, toCallback(e, m.at))
		}
		out = append(out, rm)
	}
	return out
}

// Replies returns the reply callbacks the scenario waited for.
func (s *Scenario) Replies() []report.Callback {
	out := make([]report.Callback, 0, len(s.replies))
	for _, e := range s.replies {
		out = append(out, toCallback(e, s.replyStart))
	}
	return out
}

// ToCallback converts a receiver event for the run record; since is when
// the message was sent (zero: no offset).
func ToCallback(e callbacks.Event) report.Callback { return toCallback(e, time.Time{}) }

func toCallback(e callbacks.Event, since time.Time) report.Callback {
	c := report.Callback{Kind: string(e.Kind), At: e.At, MessageID: e.MessageID, Status: e.Status,
		Body: report.Truncate(e.Body), Findings: e.Findings, Duplicate: e.Duplicate, Illegal: e.Illegal, Unknown: e.Unknown}
	if e.Cut.BodyBytes > 0 {
		c.Body += fmt.Sprintf("\n… (%d more bytes not kept by the receiver)", e.Cut.BodyBytes)
	}
	if !since.IsZero() {
		c.After = e.At.Sub(since)
	}
	return c
}
