package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/spec"
)

const jsonType = "application/json"

// textMessage is a text message to dest carrying the scenario's reference.
func (s *Scenario) textMessage(dest, text string) *dialect.Message {
	return &dialect.Message{To: dest, From: s.env.From, Reference: s.ref, Kind: dialect.KindText, Text: text}
}

func (s *Scenario) sendText(ctx context.Context) error {
	return s.sendTextTo(ctx, s.env.To[0])
}

func (s *Scenario) sendTextTo(ctx context.Context, dest string) error {
	return s.sendMessage(ctx, s.textMessage(dest, "wabcheck conformance message "+s.ref))
}

// sendTextVia sends a text message through a vendor-specific route
// ("direct": YCloud's sendDirectly).
func (s *Scenario) sendTextVia(ctx context.Context, via string) error {
	m := s.textMessage(s.env.To[0], "wabcheck conformance message "+s.ref)
	m.Via = via
	return s.sendMessage(ctx, m)
}

// sendTemplate sends the template every WhatsApp account has.
func (s *Scenario) sendTemplate(ctx context.Context) error {
	m := s.textMessage(s.env.To[0], "")
	m.Kind, m.Template = dialect.KindTemplate, &dialect.Template{Name: "hello_world", Language: "en_US"}
	return s.sendMessage(ctx, m)
}

// sendMedia sends a media message of a type by a public link.
func (s *Scenario) sendMedia(ctx context.Context, typ string) error {
	m := s.textMessage(s.env.To[0], "")
	m.Kind, m.Media = dialect.KindMedia, &dialect.Media{Type: typ, URL: sampleMediaURL(typ)}
	return s.sendMessage(ctx, m)
}

// sampleMediaURL is a public link of a sample file of each media type.
func sampleMediaURL(typ string) string {
	switch typ {
	case "image":
		return "https://static.whatsapp.net/rsrc.php/v3/y7/r/DSxOAUB0raA.png"
	case "document":
		return "https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf"
	}
	return "https://example.com/wabcheck/sample." + typ
}

// sendMessage sends m as the dialect builds it and, when the target
// accepted it, registers its id with the callback receiver.
func (s *Scenario) sendMessage(ctx context.Context, m *dialect.Message) error {
	var r dialect.Request
	if err := s.env.Dialect.SendRequest(&r, m); err != nil {
		return fmt.Errorf("build the send: %w", err)
	}
	return s.postSend(ctx, r, m.To, m.Reference)
}

// postSend sends a send request and registers the accepted message (even
// when the answer departs from the spec, so its callbacks are not taken
// for unknown ones).
func (s *Scenario) postSend(ctx context.Context, r dialect.Request, dest, ref string) error {
	defer s.env.sends.begin()()
	err := s.request(ctx, r)
	if last := s.last; last != nil && last.status/100 == 2 {
		acc, rerr := s.env.Dialect.ReadSend(last.answer())
		if rerr == nil && acc.ID != "" {
			s.expectMessage(acc.ID, ref, dest)
		}
	}
	return err
}

// sendRaw posts a DocString (placeholders expanded) as the body of the
// dialect's send request: the wire-level body of a vendor's feature.
func (s *Scenario) sendRaw(ctx context.Context, doc *godog.DocString) error {
	body, err := s.expand(doc.Content)
	if err != nil {
		return err
	}
	var r dialect.Request
	if err := s.env.Dialect.SendRequest(&r, s.textMessage(s.env.To[0], "")); err != nil {
		return fmt.Errorf("build the send: %w", err)
	}
	r.Body = []byte(body)
	dest, ref := dialect.SendFields(s.env.Dialect, r.Operation, r.Body)
	return s.postSend(ctx, r, dest, ref)
}

// sendExample posts the named example of the spec's request body of the
// dialect's send operation, its recipient (where the dialect's Explorer
// says a send carries it) replaced by the test recipient.
func (s *Scenario) sendExample(ctx context.Context, name string) error {
	var r dialect.Request
	if err := s.env.Dialect.SendRequest(&r, s.textMessage(s.env.To[0], "")); err != nil {
		return fmt.Errorf("build the send: %w", err)
	}
	body, err := s.requestExample(r.Path, r.Method, name)
	if err != nil {
		return err
	}
	if ex, ok := s.env.Dialect.(dialect.Explorer); ok {
		ptrs, _ := ex.Sends(r.Operation)
		for _, p := range ptrs {
			replaceAt(body, p, s.env.To[0])
		}
	}
	if r.Body, err = json.Marshal(body); err != nil {
		return fmt.Errorf("example %q: %w", name, err)
	}
	_, ref := dialect.SendFields(s.env.Dialect, r.Operation, r.Body)
	return s.postSend(ctx, r, s.env.To[0], ref)
}

// replaceAt replaces the value at a JSON pointer in v when there is one.
func replaceAt(v any, pointer string, with any) {
	toks := spec.SplitPointer(pointer)
	if len(toks) == 0 {
		return
	}
	parent := v
	for _, tok := range toks[:len(toks)-1] {
		m, ok := parent.(map[string]any)
		if !ok {
			return
		}
		parent = m[tok]
	}
	if m, ok := parent.(map[string]any); ok {
		if _, set := m[toks[len(toks)-1]]; set {
			m[toks[len(toks)-1]] = with
		}
	}
}

// requestExample returns a copy of a named example of an operation's JSON
// request body.
func (s *Scenario) requestExample(path, method, name string) (map[string]any, error) {
	item := s.env.Doc.T.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil || item.GetOperation(method).RequestBody == nil {
		return nil, fmt.Errorf("the spec has no %s %s with a request body", method, path)
	}
	mt := item.GetOperation(method).RequestBody.Value.Content.Get(jsonType)
	if mt == nil || mt.Examples[name] == nil || mt.Examples[name].Value == nil {
		var names []string
		if mt != nil {
			for n := range mt.Examples {
				names = append(names, n)
			}
		}
		return nil, fmt.Errorf("the spec has no %s %s request example named %q (it has: %s)", method, path, name, strings.Join(names, ", "))
	}
	raw, err := json.Marshal(mt.Examples[name].Value.Value)
	if err != nil {
		return nil, fmt.Errorf("example %q: %w", name, err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, fmt.Errorf("example %q is not a JSON object: %w", name, err)
	}
	return body, nil
}

// messageAccepted checks the last answer accepted a message with an id.
func (s *Scenario) messageAccepted() error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if r.status/100 != 2 {
		return expected(fmt.Sprintf("%s %s status", r.method, r.path), "a 2XX accepting the message", fmt.Sprintf("%d %s", r.status, show(string(r.body))))
	}
	acc, err := s.env.Dialect.ReadSend(r.answer())
	if err != nil {
		return expected(fmt.Sprintf("%s %s answer", r.method, r.path), "the accepted message's id", err.Error())
	}
	if want := s.env.Dialect.Statuses().Accepted; want != "" && acc.Status != "" && acc.Status != want {
		return expected(fmt.Sprintf("%s %s answer status", r.method, r.path), want, show(acc.Status))
	}
	return nil
}

func (s *Scenario) broadcastN(ctx context.Context, n int) error {
	return s.broadcast(ctx, s.env.destinations(n))
}

func (s *Scenario) broadcastTable(ctx context.Context, t *godog.Table) error {
	var dests []string
	for i, row := range t.Rows {
		if len(row.Cells) == 0 || (i == 0 && row.Cells[0].Value == "destination") {
			continue
		}
		dests = append(dests, row.Cells[0].Value)
	}
	if len(dests) == 0 {
		return fmt.Errorf("the table lists no destinations")
	}
	return s.broadcast(ctx, dests)
}

// broadcast sends a text broadcast and registers every accepted result.
func (s *Scenario) broadcast(ctx context.Context, dests []string) error {
	b, err := capability[dialect.Broadcaster](s, dialect.CapBroadcast)
	if err != nil {
		return err
	}
	var r dialect.Request
	if err := b.BroadcastRequest(&r, s.textMessage("", "wabcheck conformance broadcast "+s.ref), dests); err != nil {
		return fmt.Errorf("build the broadcast: %w", err)
	}
	s.dests, s.results = dests, nil
	defer s.env.sends.begin()()
	err = s.request(ctx, r)
	if last := s.last; last != nil && last.status/100 == 2 {
		if results, rerr := b.ReadBroadcast(last.answer()); rerr == nil {
			s.results = results
			for i, res := range results {
				if res.ID != "" && !res.Refused {
					s.expectMessage(res.ID, s.ref, s.destOf(i, res))
				}
			}
		}
	}
	return err
}

// destOf is a result's destination: its own field, else its position.
func (s *Scenario) destOf(i int, r dialect.Accepted) string {
	if r.To != "" {
		return r.To
	}
	if i < len(s.dests) {
		return s.dests[i]
	}
	return ""
}

// getMessage retrieves the last accepted message by its id.
func (s *Scenario) getMessage(ctx context.Context) error {
	m, err := s.lastMessage()
	if err != nil {
		return err
	}
	return s.retrieve(ctx, m.id)
}

// getUnknownMessage retrieves a message nobody sent.
func (s *Scenario) getUnknownMessage(ctx context.Context) error {
	return s.retrieve(ctx, unknownID)
}

func (s *Scenario) retrieve(ctx context.Context, id string) error {
	rt, err := capability[dialect.Retriever](s, dialect.CapRetrieve)
	if err != nil {
		return err
	}
	return s.request(ctx, rt.RetrieveRequest(id))
}

// markRead marks the last accepted message as read.
func (s *Scenario) markRead(ctx context.Context) error {
	m, err := s.lastMessage()
	if err != nil {
		return err
	}
	return s.markReadID(ctx, m.id)
}

func (s *Scenario) markReadID(ctx context.Context, id string) error {
	rm, err := capability[dialect.ReadMarker](s, dialect.CapMarkRead)
	if err != nil {
		return err
	}
	return s.request(ctx, rm.MarkReadRequest(id))
}

// markReplyRead marks the injected customer message as read.
func (s *Scenario) markReplyRead(ctx context.Context) error {
	if s.replyID == "" {
		return fmt.Errorf("no customer message yet: a customer must send one first")
	}
	return s.markReadID(ctx, s.replyID)
}

func (s *Scenario) getHealth(ctx context.Context) error {
	hc, err := capability[dialect.HealthChecker](s, dialect.CapHealth)
	if err != nil {
		return err
	}
	return s.request(ctx, hc.HealthRequest())
}

func (s *Scenario) plainRequest(ctx context.Context, method, path string) error {
	p, err := s.expand(path)
	if err != nil {
		return err
	}
	return s.request(ctx, dialect.Request{Method: method, Path: p})
}

func (s *Scenario) jsonRequest(ctx context.Context, method, path string, doc *godog.DocString) error {
	return s.typedRequest(ctx, method, path, jsonType, doc)
}

// typedRequest sends a spelled-out request; one to the dialect's send
// operation is a send (its accepted id is registered).
func (s *Scenario) typedRequest(ctx context.Context, method, path, ctype string, doc *godog.DocString) error {
	p, err := s.expand(path)
	if err != nil {
		return err
	}
	body, err := s.expand(doc.Content)
	if err != nil {
		return err
	}
	r := dialect.Request{Method: method, Path: p, ContentType: ctype, Body: []byte(body)}
	var send dialect.Request
	if s.env.Dialect.SendRequest(&send, s.textMessage(s.env.To[0], "")) == nil && method == send.Method && p == send.Path && ctype == jsonType {
		r.Operation = send.Operation
		dest, ref := dialect.SendFields(s.env.Dialect, r.Operation, r.Body)
		return s.postSend(ctx, r, dest, ref)
	}
	return s.request(ctx, r)
}

// capability returns the dialect as capability T, or a godog skip saying
// the vendor lacks it ("ycloud has no broadcast").
func capability[T any](s *Scenario, name string) (T, error) {
	c, ok := s.env.Dialect.(T)
	if !ok {
		return c, fmt.Errorf("%w: %s", godog.ErrSkip, dialect.Lacks(s.env.Dialect, name))
	}
	return c, nil
}

// unknownID is a message id no target has issued. Ids are opaque to the
// steps; a UUID is one no API's id schema refuses unless it names a
// pattern, and the scenarios that use it accept any 4XX (a vendor whose
// retrieve must answer 404 says so in its own features).
const unknownID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
