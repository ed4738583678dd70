package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadEmbeddedAppliesShippedErrata(t *testing.T) {
	d, err := Load(Options{Source: modicaSource})
	if err != nil {
		t.Fatal(err)
	}
	if d.T == nil || d.T.Paths.Find("/messages") == nil {
		t.Fatal("embedded spec has no /messages path")
	}
	if d.BasePath() != "/rest/wab/v1" {
		t.Errorf("BasePath() = %q", d.BasePath())
	}
	if len(d.Errata.Applied) == 0 || !strings.HasPrefix(d.Errata.Source, "shipped") {
		t.Errorf("shipped errata not applied: %+v", d.Errata)
	}
	if !strings.Contains(d.Errata.Summary(), "corrections applied") {
		t.Errorf("Summary() = %q", d.Errata.Summary())
	}
}

// TestSourceLoadIsLoadWithTheSource: Source.Load and Source.MustDoc, the
// one loader every vendor's spec package uses, pass file and errata on.
func TestSourceLoadIsLoadWithTheSource(t *testing.T) {
	if d := modicaSource.MustDoc(); len(d.Errata.Applied) == 0 || !strings.HasPrefix(d.Name, modicaSource.Name) {
		t.Errorf("MustDoc: %s with %d errata, want the embedded spec with the shipped errata", d.Name, len(d.Errata.Applied))
	}
	d, err := modicaSource.Load("", ErrataNone)
	if err != nil || len(d.Errata.Applied) != 0 {
		t.Errorf("Load(\"\", ErrataNone): %v; want no errata applied", err)
	}
	if _, err := modicaSource.Load("testdata/no-such-file.yaml", ""); err == nil {
		t.Error("Load of a missing file: no error")
	}
}

func TestLoadStrictKeepsPublishedBytes(t *testing.T) {
	d, err := Load(Options{Source: modicaSource, Errata: ErrataNone})
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Bytes) != string(d.Published) || !d.Errata.Strict() {
		t.Error("strict mode changed the spec")
	}
	if !strings.Contains(d.Errata.Summary(), "strict") {
		t.Errorf("Summary() = %q", d.Errata.Summary())
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadBadInput(t *testing.T) {
	bomb := `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`
	tests := []struct {
		name, file, content, want string
	}{
		{"missing", "", "", "no such file"},
		{"empty", "empty.yaml", "  \n", "file is empty"},
		{"not yaml", "bad.yaml", "openapi: [3.0.1\n  paths: {", "not valid YAML or JSON"},
		{"scalar", "scalar.yaml", "just a string", "top level is not a mapping"},
		{"swagger", "petstore.yaml", "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", "Swagger 2.0 (OpenAPI 2.0)"},
		{"not openapi", "x.yaml", "foo: bar\n", "no top-level `openapi` field"},
		{"openapi 2", "x.yaml", "openapi: 2.0.0\npaths: {}\n", "needs OpenAPI 3.x"},
		{"no paths", "x.yaml", "openapi: 3.0.1\ninfo: {title: x, version: '1'}\n", "no top-level `paths`"},
		{"yaml bomb", "bomb.yaml", bomb, "excessive aliasing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing.yaml")
			if tt.file != "" {
				path = writeFile(t, tt.file, tt.content)
			}
			_, err := Load(Options{Source: modicaSource, File: path})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load(%s) error = %v, want it to contain %q", tt.name, err, tt.want)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestLoadRejectsHugeFileWithoutReadingIt(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // sparse: no 50 MB written
		t.Fatal(err)
	}
	f.Close()
	_, err = Load(Options{Source: modicaSource, File: p})
	if err == nil || !strings.Contains(err.Error(), "wabcheck reads at most") {
		t.Fatalf("error = %v", err)
	}
}

func TestReadFileBoundsDevicesAndPipes(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	// Stat says 0 bytes for a device; the read itself must stop.
	_, err := Load(Options{Source: modicaSource, File: "/dev/zero"})
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("Load(/dev/zero) = %v, want a size error", err)
	}
	var le *LoadError
	if !errors.As(err, &le) || le.Input != "spec" {
		t.Errorf("error %v does not say it is the spec", err)
	}
}

func TestLoadErrataFileErrors(t *testing.T) {
	_, err := Load(Options{Source: modicaSource, Errata: filepath.Join(t.TempDir(), "nope.yaml")})
	var le *LoadError
	if !errors.As(err, &le) || le.Input != "errata" || !strings.HasPrefix(err.Error(), "read ") {
		t.Fatalf("missing errata file: %v", err)
	}
	notOverlay := writeFile(t, "e.yaml", "hello: world\n")
	if _, err = Load(Options{Source: modicaSource, Errata: notOverlay}); err == nil || !strings.Contains(err.Error(), "Overlay") {
		t.Fatalf("non-overlay errata: %v", err)
	}
}

func TestDefaultErrataOnlyForModica(t *testing.T) {
	p := writeFile(t, "other.yaml", "openapi: 3.0.3\ninfo: {title: Other, version: '1'}\npaths: {}\n")
	d, err := Load(Options{Source: modicaSource, File: p})
	if err != nil {
		t.Fatal(err)
	}
	if d.Errata.Source != ErrataNone {
		t.Errorf("shipped errata applied to a non-Modica spec: %+v", d.Errata)
	}
}

func TestLocate(t *testing.T) {
	d, err := Load(Options{Source: modicaSource})
	if err != nil {
		t.Fatal(err)
	}
	loc := d.Locate("/components/schemas/E164/pattern")
	if loc.File != modicaSource.Name || loc.Line == 0 {
		t.Fatalf("Locate = %+v", loc)
	}
	line := strings.Split(string(d.Published), "\n")[loc.Line-1]
	if !strings.Contains(line, "pattern") {
		t.Errorf("line %d is %q, want the E164 pattern", loc.Line, line)
	}
	// A pointer below a missing node resolves to its nearest ancestor.
	parent := d.Locate("/components/schemas/E164")
	if got := d.Locate("/components/schemas/E164/nope/deeper"); got != parent {
		t.Errorf("missing node: got %v, want ancestor %v", got, parent)
	}
	if got := (Location{File: "f.yaml", Line: 3, Col: 7}).String(); got != "f.yaml:3:7" {
		t.Errorf("String() = %q", got)
	}
}

func TestSplitPointer(t *testing.T) {
	got := SplitPointer("#/paths/~1messages~1broadcast/post/a~0b")
	want := []string{"paths", "/messages/broadcast", "post", "a~b"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("SplitPointer = %q", got)
	}
	if EscapeToken("/messages") != "~1messages" {
		t.Error("EscapeToken")
	}
}

func TestValueAt(t *testing.T) {
	v := map[string]any{"a/b": []any{"x", map[string]any{"c": 1.0}}, "n": nil}
	tests := []struct {
		ptr  string
		want any
		ok   bool
	}{
		{"/a~1b/0", "x", true}, {"/a~1b/1/c", 1.0, true}, {"/n", nil, true},
		{"/a~1b/2", nil, false}, {"/a~1b/x", nil, false}, {"/missing", nil, false}, {"/a~1b/0/deeper", nil, false},
	}
	for _, tt := range tests {
		got, ok := ValueAt(v, tt.ptr)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ValueAt(%q) = %v, %v; want %v, %v", tt.ptr, got, ok, tt.want, tt.ok)
		}
	}
	if got, ok := ValueAt("whole", ""); !ok || got != "whole" {
		t.Errorf(`ValueAt(v, "") = %v, %v; want the value itself`, got, ok)
	}
}

// modicaSource is the Modica spec these tests load (the spec package names
// no vendor; internal/dialect/modica/modicaspec holds the same value).
var modicaSource = Source{Name: "modica-wab-v1.2.0.yaml", Errata: "modica-wab-v1.2.0.errata.yaml",
	Title: "Modica WhatsApp Business Messaging API", Version: "1.2.0"}

func TestLoadWithoutSourceOrFileIsAConfigError(t *testing.T) {
	_, err := Load(Options{})
	var le *LoadError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "--spec") {
		t.Fatalf("Load without a source: %v", err)
	}
}

func TestShippedErrataApplyOnlyToTheirAPI(t *testing.T) {
	other := Source{Name: modicaSource.Name, Errata: modicaSource.Errata, Title: "Another API", Version: "9"}
	d, err := Load(Options{Source: other})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Errata.Strict() {
		t.Errorf("errata for another API applied: %+v", d.Errata)
	}
}
