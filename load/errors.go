package load

import (
	"regexp"
	"sync"

	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/load/summary"
)

// maxErrorKinds bounds the distinct error messages kept; the errors of
// later kinds are only counted (ErrorTally.Other).
const maxErrorKinds = 20

// ErrorTally counts request errors by normalised message: the parts that
// differ per request (URL query and fragment, the local port, ids) are
// taken out, so a dead target makes one kind, not one entry per request.
// Memory is bounded by maxErrorKinds.
type ErrorTally struct {
	mu    sync.Mutex
	kinds []summary.ErrorCount
	index map[string]int
	other uint64
}

var errorNormalisers = []struct {
	re   *regexp.Regexp
	with string
}{
	// "Post \"http://h/p?id=…#ref\"" → "Post \"http://h/p\"" (the fragment carries each reference)
	{regexp.MustCompile(`("[a-z][a-z0-9+.-]*://[^"?#\s]*)[?#][^"\s]*"`), `$1"`},
	// "read tcp 127.0.0.1:43210->127.0.0.1:8080" → "read tcp 127.0.0.1:*->…" (the local port)
	{regexp.MustCompile(`((?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-fA-F:.%\w]*\]):\d+->`), `$1:*->`},
	{regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`), `<id>`},
}

// normaliseError takes the per-request parts out of an error message.
func normaliseError(msg string) string {
	for _, n := range errorNormalisers {
		msg = n.re.ReplaceAllString(msg, n.with)
	}
	return msg
}

// add counts one error message.
func (t *ErrorTally) add(msg string) {
	key := normaliseError(msg)
	t.mu.Lock()
	defer t.mu.Unlock()
	if i, ok := t.index[key]; ok {
		t.kinds[i].Count++
		return
	}
	if len(t.kinds) >= maxErrorKinds {
		t.other++
		return
	}
	if t.index == nil {
		t.index = map[string]int{}
	}
	t.index[key] = len(t.kinds)
	t.kinds = append(t.kinds, summary.ErrorCount{Message: redact.String(key), Count: 1, Example: redact.String(msg)})
}

// Counts returns the kinds in first-seen order and the count of errors
// of kinds beyond the bound.
func (t *ErrorTally) Counts() ([]summary.ErrorCount, uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]summary.ErrorCount(nil), t.kinds...), t.other
}
