package validate

import (
	"net/http"
	"net/url"
	"sort"

	"github.com/wabcheck/wabcheck/spec"
)

// Request checks a request (method, path, parameters, Content-Type and
// body) against its operation. body is the request body, already read.
func (v *Validator) Request(r *http.Request, body []byte) []Finding {
	_, out := v.RequestValue(r, body)
	return out
}

// RequestValue is Request that also returns the decoded JSON body (nil when
// the body is absent or not JSON), so callers need not decode it again.
func (v *Validator) RequestValue(r *http.Request, body []byte) (any, []Finding) {
	val, out := v.requestValue(r, body)
	return val, printable(out)
}

func (v *Validator) requestValue(r *http.Request, body []byte) (any, []Finding) {
	if r == nil || r.URL == nil || r.Method == "" {
		return nil, []Finding{{Code: CodeRequestInvalid, Where: "request", Message: "expected a request with a method and URL, got none"}}
	}
	o, out := v.find(r.Method, r.URL.Path)
	if o == nil {
		return nil, out
	}
	base := Finding{Operation: o.id, Method: o.method, Path: o.template}
	out = v.checkParams(o, r, base, out)
	return v.checkBody(o.body, o.ptr, r.Header, body, base, out)
}

func (v *Validator) checkParams(o *operation, r *http.Request, base Finding, out []Finding) []Finding {
	if len(o.params) == 0 {
		return out
	}
	var query url.Values
	var pathVals map[string]string
	for _, p := range o.params {
		var vals []string
		switch p.in {
		case "query":
			if query == nil {
				query = r.URL.Query()
			}
			vals = query[p.name]
		case "header":
			vals = r.Header[p.name]
		case "path":
			if pathVals == nil {
				_, pathVals = v.route(v.relPath(r.URL.Path))
			}
			if s, ok := pathVals[p.name]; ok {
				vals = []string{s}
			}
		case "cookie":
			if c, err := r.Cookie(p.name); err == nil {
				vals = []string{c.Value}
			}
		}
		if len(vals) == 0 {
			if p.required {
				f := base
				f.Code, f.Where, f.Spec = CodeParamMissing, p.where, v.locate(p.ptr)
				f.Message = "expected required " + p.where + ", got none"
				out = append(out, f)
			}
			continue
		}
		out = v.checkValue(p, vals, CodeParamInvalid, base, out)
	}
	return out
}

// Callback checks a callback request of kind against the request body of
// the spec callback the dialect named for it (see Callbacks).
func (v *Validator) Callback(kind Kind, h http.Header, body []byte) []Finding {
	_, out := v.CallbackValue(kind, h, body)
	return out
}

// CallbackValue is Callback that also returns the decoded JSON body (nil
// when it is not JSON).
func (v *Validator) CallbackValue(kind Kind, h http.Header, body []byte) (any, []Finding) {
	val, out := v.callbackValue(kind, h, body)
	return val, printable(out)
}

func (v *Validator) callbackValue(kind Kind, h http.Header, body []byte) (any, []Finding) {
	cs := v.callbacks[kind]
	if cs == nil {
		return nil, []Finding{{Code: CodeCallbackUndeclared, Operation: kind.Operation(), Method: http.MethodPost, Where: "callback",
			Message: "expected the spec to declare a " + string(kind) + " callback, found none"}}
	}
	base := Finding{Operation: kind.Operation(), Method: http.MethodPost, Path: cs.expression}
	return v.checkBody(cs.body, cs.ptr, h, body, base, nil)
}

// HasCallback reports whether the spec declares a callback of kind.
func (v *Validator) HasCallback(kind Kind) bool { return v.callbacks[kind] != nil }

func escape(s string) string { return spec.EscapeToken(s) }

func sortStrings(s []string) { sort.Strings(s) }
