package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/cucumber/godog"
)

const jsonType = "application/json"

// sendExample posts the named example of the spec's POST /messages request
// body, its destination replaced by the test destination.
func (s *Scenario) sendExample(ctx context.Context, name string) error {
	body, err := s.requestExample("/messages", http.MethodPost, name)
	if err != nil {
		return err
	}
	for _, k := range []string{"to", "destination"} {
		if _, ok := body[k]; ok {
			body[k] = s.env.To[0]
		}
	}
	data, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("example %q: %w", name, err)
	}
	return s.postMessage(ctx, data, s.env.To[0], "")
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

// sendMessage posts the DocString (placeholders expanded) to /messages.
func (s *Scenario) sendMessage(ctx context.Context, doc *godog.DocString) error {
	body, err := s.expand(doc.Content)
	if err != nil {
		return err
	}
	var probe struct{ Destination, To, Reference string }
	_ = json.Unmarshal([]byte(body), &probe)
	return s.postMessage(ctx, []byte(body), probe.Destination+probe.To, probe.Reference)
}

func (s *Scenario) sendText(ctx context.Context) error {
	return s.sendTextTo(ctx, s.env.To[0])
}

func (s *Scenario) sendTextTo(ctx context.Context, dest string) error {
	body, _ := json.Marshal(map[string]any{
		"destination": dest, "type": "text", "reference": s.ref,
		"text": map[string]string{"body": "wabcheck conformance message " + s.ref},
	})
	return s.postMessage(ctx, body, dest, s.ref)
}

// postMessage posts a single message and, when the target accepted it,
// registers its id with the callback receiver (even when the answer
// departs from the spec, so its callbacks are not taken for unknown ones).
func (s *Scenario) postMessage(ctx context.Context, body []byte, dest, ref string) error {
	err := s.request(ctx, http.MethodPost, "/messages", jsonType, body)
	if r := s.last; r != nil && r.status/100 == 2 {
		var ans struct {
			MessageID string `json:"message_id"`
		}
		if json.Unmarshal(r.body, &ans) == nil && ans.MessageID != "" {
			s.expectMessage(ans.MessageID, ref, dest)
		}
	}
	return err
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

// broadcast posts a text broadcast and registers every accepted result.
func (s *Scenario) broadcast(ctx context.Context, dests []string) error {
	body, _ := json.Marshal(map[string]any{
		"destination": dests, "type": "text", "reference": s.ref,
		"text": map[string]string{"body": "wabcheck conformance broadcast " + s.ref},
	})
	s.dests, s.results = dests, nil
	err := s.request(ctx, http.MethodPost, "/messages/broadcast", jsonType, body)
	if r := s.last; r != nil && r.status/100 == 2 {
		if jerr := json.Unmarshal(r.body, &s.results); jerr == nil {
			for i, res := range s.results {
				if res.ID != "" && res.Status == "accepted" {
					s.expectMessage(res.ID, s.ref, s.destOf(i, res))
				}
			}
		}
	}
	return err
}

// destOf is a result's destination: its own field, else its position.
func (s *Scenario) destOf(i int, r result) string {
	if r.Destination != "" {
		return r.Destination
	}
	if i < len(s.dests) {
		return s.dests[i]
	}
	return ""
}

func (s *Scenario) getMessage(ctx context.Context) error {
	m, err := s.lastMessage()
	if err != nil {
		return err
	}
	return s.request(ctx, http.MethodGet, "/messages?id="+query(m.id), "", nil)
}

func (s *Scenario) markRead(ctx context.Context) error {
	m, err := s.lastMessage()
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]string{"message_id": m.id})
	return s.request(ctx, http.MethodPatch, "/messages", jsonType, body)
}

func (s *Scenario) getHealth(ctx context.Context) error {
	return s.request(ctx, http.MethodGet, "/healthz", "", nil)
}

func (s *Scenario) plainRequest(ctx context.Context, method, path string) error {
	p, err := s.expand(path)
	if err != nil {
		return err
	}
	return s.request(ctx, method, p, "", nil)
}

func (s *Scenario) jsonRequest(ctx context.Context, method, path string, doc *godog.DocString) error {
	return s.typedRequest(ctx, method, path, jsonType, doc)
}

func (s *Scenario) typedRequest(ctx context.Context, method, path, ctype string, doc *godog.DocString) error {
	p, err := s.expand(path)
	if err != nil {
		return err
	}
	body, err := s.expand(doc.Content)
	if err != nil {
		return err
	}
	if method == http.MethodPost && p == "/messages" && ctype == jsonType {
		return s.postMessage(ctx, []byte(body), "", "")
	}
	return s.request(ctx, method, p, ctype, []byte(body))
}
