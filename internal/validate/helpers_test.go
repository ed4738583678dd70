package validate

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	modicadialect "github.com/wabcheck/wabcheck/internal/dialect/modica"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/spec"
)

var (
	modicaOnce sync.Once
	modicaV    *Validator
	modicaDoc  *spec.Doc
	modicaErr  error
)

// modica returns the Validator of the embedded Modica spec (with errata).
func modica(t testing.TB) *Validator {
	t.Helper()
	modicaOnce.Do(func() {
		modicaDoc, modicaErr = modicaspec.Load("", "")
		if modicaErr == nil {
			modicaV, modicaErr = New(modicaDoc, Callbacks(modicaKinds))
		}
	})
	if modicaErr != nil {
		t.Fatal(modicaErr)
	}
	return modicaV
}

// inline builds a Validator from a small spec written to a temp file,
// loaded strictly (no errata).
func inline(t testing.TB, yaml string) *Validator {
	t.Helper()
	return inlineWith(t, yaml, Callbacks(modicaKinds))
}

// inlineWith is inline with explicit options.
func inlineWith(t testing.TB, yaml string, opts ...Option) *Validator {
	t.Helper()
	path := filepath.Join(t.TempDir(), "inline.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := spec.Load(spec.Options{File: path, Errata: spec.ErrataNone})
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(doc, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// specLine returns line n (1-based) of the published spec the validator
// was built from.
func specLine(t testing.TB, v *Validator, n int) string {
	t.Helper()
	lines := strings.Split(string(v.doc.Published), "\n")
	if n < 1 || n > len(lines) {
		t.Fatalf("spec line %d out of range (1..%d)", n, len(lines))
	}
	return lines[n-1]
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func codes(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Code
	}
	return out
}

// Modica's callback kinds, from its dialect: the tests of this package use
// its spec.
var modicaKinds = modicadialect.New().Callbacks().Kinds()

// Modica's two callback kinds: delivery receipts and replies.
const (
	kindStatus Kind = modicadialect.KindStatus
	kindReply  Kind = modicadialect.KindReply
)
