package modicasim

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// readSpecLimits reads what the spec bounds: Retry-After's range, the
// X-RateLimit-Limit maximum (which bounds the rate limit) and the upload
// types. A spec without them is not a Modica spec.
func (a *api) readSpecLimits() error {
	doc := a.s.Doc()
	c := doc.T.Components
	if c == nil {
		return fmt.Errorf("sim: spec %s has no components (not a Modica spec?)", doc.Name)
	}
	lo, hi, err := headerRange(c, "RetryAfter")
	if err != nil {
		return fmt.Errorf("sim: spec %s: %w", doc.Name, err)
	}
	a.retryLo, a.retryHi = lo, hi
	_, rmax, err := headerRange(c, "X-RateLimit-Limit")
	if err != nil {
		return fmt.Errorf("sim: spec %s: %w", doc.Name, err)
	}
	if err := a.s.SetRateLimitMax(rmax); err != nil {
		return err
	}
	a.mime = uploadTypes(doc.T)
	return nil
}

func headerRange(c *openapi3.Components, name string) (int, int, error) {
	h := c.Headers[name]
	if h == nil || h.Value == nil || h.Value.Schema == nil || h.Value.Schema.Value == nil {
		return 0, 0, fmt.Errorf("components.headers.%s has no schema", name)
	}
	sc := h.Value.Schema.Value
	lo, hi := 0, 1<<31-1
	if sc.Min != nil {
		lo = int(*sc.Min)
	}
	if sc.Max != nil {
		hi = int(*sc.Max)
	}
	if lo > hi {
		return 0, 0, fmt.Errorf("components.headers.%s: minimum %d > maximum %d", name, lo, hi)
	}
	return lo, hi, nil
}

// uploadTypes collects the media types POST /media accepts: the
// multipart encoding's contentType list of `file` and, when the spec has
// one, the MediaMimeType enum.
func uploadTypes(t *openapi3.T) map[string]bool {
	out := map[string]bool{}
	if t.Components != nil {
		if sr := t.Components.Schemas["MediaMimeType"]; sr != nil && sr.Value != nil {
			for _, e := range sr.Value.Enum {
				if s, ok := e.(string); ok {
					out[s] = true
				}
			}
		}
	}
	if pi := t.Paths.Value("/media"); pi != nil && pi.Post != nil && pi.Post.RequestBody != nil && pi.Post.RequestBody.Value != nil {
		if mt := pi.Post.RequestBody.Value.Content.Get("multipart/form-data"); mt != nil {
			if enc := mt.Encoding["file"]; enc != nil {
				for _, ct := range strings.Split(enc.ContentType, ",") {
					if ct = strings.TrimSpace(ct); ct != "" {
						out[ct] = true
					}
				}
			}
		}
	}
	return out
}
