package speclint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// referenceDir is where the third-party reference specs live: env
// WABCHECK_REFERENCE, else ../../../shared/reference.
func referenceDir() string {
	if d := os.Getenv("WABCHECK_REFERENCE"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "reference")
}

// readReference reads a reference spec, skipping the test when absent.
func readReference(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(referenceDir(), name))
	if err != nil {
		tb.Skipf("reference spec %s not available (set WABCHECK_REFERENCE): %v", name, err)
	}
	return data
}

func checkGolden(t *testing.T, golden string, r *Report) {
	t.Helper()
	var got bytes.Buffer
	if err := r.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", golden)
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("%s differs from the findings (run go test ./internal/speclint -update and review the diff)", path)
	}
}

func TestGoldenReferenceSpecs(t *testing.T) {
	for name, golden := range map[string]string{
		"ycloud-api-v2.yaml":                "ycloud.golden.json",
		"whatsapp-business-api-onprem.yaml": "onprem.golden.json",
	} {
		t.Run(name, func(t *testing.T) {
			data := readReference(t, name)
			r, err := Lint(Input{Path: name, Data: data}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, golden, r)
		})
	}
}

func TestGoldenModica(t *testing.T) {
	r, err := Lint(Input{Path: modicaspec.Source.Name, Data: modicaspec.Published()},
		Options{Errata: modicaspec.Errata(), ErrataSource: "shipped (" + modicaspec.Source.Errata + ")"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "modica.golden.json", r)
}

func BenchmarkLintYCloud(b *testing.B) { benchLint(b, "ycloud-api-v2.yaml") }
func BenchmarkLintOnPrem(b *testing.B) { benchLint(b, "whatsapp-business-api-onprem.yaml") }
func BenchmarkLintModica(b *testing.B) { benchBytes(b, modicaspec.Source.Name, modicaspec.Published()) }

func benchLint(b *testing.B, name string) { benchBytes(b, name, readReference(b, name)) }

func benchBytes(b *testing.B, name string, data []byte) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Lint(Input{Path: name, Data: data}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
