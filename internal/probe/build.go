package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// boundary is the fixed multipart boundary, so bodies are deterministic.
const boundary = "wabcheck-probe-boundary"

// encode serializes a case's body: raw bytes, JSON, or multipart/form-data
// from an object value. It returns the body and its Content-Type.
func encode(c *Case) ([]byte, string, error) {
	switch {
	case !c.hasBody:
		return nil, c.contentType, nil
	case c.useRaw:
		return c.raw, c.contentType, nil
	}
	m := c.op.body.primary()
	if m != nil && m.isMultipart() {
		b, file := multipartBody(m, c.body)
		c.upload = file
		ct := c.contentType
		if ct == "" {
			ct = "multipart/form-data; boundary=" + boundary
		}
		return b, ct, nil
	}
	b, err := json.Marshal(c.body)
	if err != nil {
		return nil, "", fmt.Errorf("encode case %d: %w", c.ID, err)
	}
	ct := c.contentType
	if ct == "" && m != nil {
		ct = m.typ
	}
	return b, ct, nil
}

// multipartBody writes one part per property: a file part (with a file
// name and a declared content type) where the media type's encoding lists
// content types, a plain field otherwise. It returns the body and the
// first file's bytes.
func multipartBody(m *media, v any) ([]byte, []byte) {
	obj, _ := v.(map[string]any)
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	var b bytes.Buffer
	var file []byte
	for _, name := range names {
		val := fmt.Sprint(obj[name])
		fmt.Fprintf(&b, "--%s\r\n", boundary)
		if types, ok := m.encoding[name]; ok {
			fmt.Fprintf(&b, "Content-Disposition: form-data; name=%q; filename=\"wabcheck.txt\"\r\nContent-Type: %s\r\n\r\n", name, partType(types))
			if file == nil {
				file = []byte(val)
			}
		} else {
			fmt.Fprintf(&b, "Content-Disposition: form-data; name=%q\r\n\r\n", name)
		}
		b.WriteString(val)
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes(), file
}

// partType picks text/plain from a declared list ("image/png, text/plain")
// when it is there, else the first type.
func partType(list string) string {
	first := ""
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "text/plain" {
			return t
		}
		if first == "" {
			first = t
		}
	}
	if first == "" {
		return "application/octet-stream"
	}
	return first
}

// request builds the HTTP request of a case against base (the API base
// URL), without credentials.
func request(ctx context.Context, base string, c *Case, body []byte, ct string) (*http.Request, error) {
	path := c.op.path
	q := url.Values{}
	hdr := http.Header{}
	for _, p := range c.op.params {
		val, ok := c.params[p.where()]
		if !ok {
			continue
		}
		switch p.in {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.name+"}", url.PathEscape(val))
		case "query":
			q.Set(p.name, val)
		case "header":
			hdr.Set(p.name, val)
		}
	}
	u := base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("case %d: %w", c.ID, err)
	}
	if body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return req, nil
}
