package steps

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// uuidRe is a UUID as the "is a UUID" steps name it: lower-case
// 8-4-4-4-12 hex.
var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// expected formats the one assertion message every step uses.
func expected(what string, want, got any) error {
	return fmt.Errorf("%s: expected %v, got %v", what, want, got)
}

// show quotes a value for an assertion message, shortening long ones.
func show(v any) string {
	s := fmt.Sprintf("%q", fmt.Sprint(v))
	if v == nil {
		return "nothing (absent)"
	}
	if len(s) > 120 {
		s = s[:117] + `…"`
	}
	return s
}

// jsonField looks a dotted path ("attributes.body", "items.0.id") up in a
// JSON body; ok is false when any part is absent.
func jsonField(body []byte, path string) (any, bool, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, false, fmt.Errorf("the response body is not JSON (%v): %s", err, show(string(body)))
	}
	for _, part := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			x, ok := node[part]
			if !ok {
				return nil, false, nil
			}
			v = x
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false, nil
			}
			v = node[i]
		default:
			return nil, false, nil
		}
	}
	return v, true, nil
}

// stringField returns a field that must be a JSON string.
func stringField(body []byte, path string) (string, error) {
	v, ok, err := jsonField(body, path)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", expected("response field "+strconv.Quote(path), "a string", "no such field")
	}
	s, isStr := v.(string)
	if !isStr {
		return "", expected("response field "+strconv.Quote(path), "a string", fmt.Sprintf("%T %v", v, v))
	}
	return s, nil
}
