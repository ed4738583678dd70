package ycloud

import "encoding/json"

// topLevelString returns the string value of key in the JSON object body
// without decoding the rest (the last one when the key repeats, as
// encoding/json does); ok is false when body is not an object, has no
// such key or its value is not a string. Classifying a webhook needs only
// the envelope's type, on the receiver's hot path.
func topLevelString(body []byte, key string) (value string, ok bool) {
	value, found, complete := scanTopLevel(body, key)
	return value, found && complete
}

// scanTopLevel reads the top-level members of the JSON object body up to
// its end or the first syntax error: the last string value of key found
// (found) and whether the object was read to its end (complete). A body
// cut short after the key is found with complete false.
func scanTopLevel(body []byte, key string) (value string, found, complete bool) {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return "", false, false
	}
	for i = skipSpace(body, i+1); i < len(body) && body[i] != '}'; {
		isKey, next, good := matchString(body, i, key)
		if !good {
			return value, found, false
		}
		i = skipSpace(body, next)
		if i >= len(body) || body[i] != ':' {
			return value, found, false
		}
		i = skipSpace(body, i+1)
		if isKey && i < len(body) && body[i] == '"' {
			v, end, good := scanString(body, i)
			if !good {
				return value, found, false
			}
			value, found, i = v, true, end
		} else if i = skipValue(body, i); i < 0 {
			return value, found, false
		}
		i = skipSpace(body, i)
		if i < len(body) && body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}
	return value, found, i < len(body)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string starting at b[i] (a quote) and returns
// it unescaped and the index after it.
func scanString(b []byte, i int) (string, int, bool) {
	raw, escaped, end, ok := rawString(b, i)
	if !ok {
		return "", 0, false
	}
	if !escaped {
		return string(raw), end, true
	}
	var s string
	if json.Unmarshal(b[i:end], &s) != nil {
		return "", 0, false
	}
	return s, end, true
}

// matchString reports whether the JSON string at b[i] is s, without
// allocating for the usual unescaped case, and returns the index after it.
func matchString(b []byte, i int, s string) (bool, int, bool) {
	raw, escaped, end, ok := rawString(b, i)
	if !ok {
		return false, 0, false
	}
	if !escaped {
		return string(raw) == s, end, true
	}
	u, _, ok := scanString(b, i)
	return u == s, end, ok
}

// rawString finds the JSON string starting at b[i] (a quote): its bytes
// between the quotes, whether they hold escapes, and the index after it.
func rawString(b []byte, i int) (raw []byte, escaped bool, end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, false, 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			return b[i+1 : j], escaped, j + 1, true
		}
	}
	return nil, false, 0, false
}

// skipValue returns the index after the JSON value at b[i], or -1.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			_, _, next, ok := rawString(b, i)
			if !ok {
				return -1
			}
			i = next
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return -1
			}
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		case ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	if depth == 0 {
		return i
	}
	return -1
}
