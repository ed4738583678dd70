package modicasim

// Extraction of the fields the simulator uses from the JSON value the
// validator already decoded (map[string]any etc., as encoding/json gives),
// so a request body is parsed once.

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func obj(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

func strs(v any) []string {
	a, _ := v.([]any)
	out := make([]string, 0, len(a))
	for _, x := range a {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// sendFromValue fills a sendRequest from a decoded message body.
func sendFromValue(v any) (*sendRequest, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	req := &sendRequest{To: str(m, "to"), Type: str(m, "type"), Scheduled: str(m, "scheduled"), Reference: str(m, "reference")}
	req.Destination, _ = m["destination"].(string)
	if t := obj(m, "text"); t != nil {
		req.Text = &textPart{Body: str(t, "body")}
	}
	if t := obj(m, "template"); t != nil {
		req.Template = &templatePart{Name: str(t, "name"), Language: str(t, "language"), BodyParams: strs(t["body_params"])}
		if md := obj(t, "media"); md != nil {
			req.Template.Media = &mediaPart{Type: str(md, "type"), URL: str(md, "url")}
		}
	}
	if md := obj(m, "media"); md != nil {
		req.Media = &mediaPart{Type: str(md, "type"), URL: str(md, "url")}
	}
	return req, true
}
