package spec

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// MaxSpecBytes bounds the size of a spec or errata file wabcheck will read.
// The largest real WhatsApp provider spec we know (YCloud) is 250 KB.
const MaxSpecBytes = 16 << 20

// ErrataNone is the --errata value that selects strict mode.
const ErrataNone = "none"

// files holds every spec and errata overlay in this folder; dialects name
// theirs with a Source.
//
//go:embed *.yaml
var files embed.FS

// Source names an embedded spec and the errata overlay written for it.
// Every dialect has one; the spec package names no vendor.
type Source struct {
	// Name is the embedded spec's file name in this folder
	// ("modica-wab-v1.2.0.yaml"); it is the file named in locations.
	Name string
	// Errata is the embedded errata overlay's file name; "" for none.
	Errata string
	// Title and Version are the spec's info.title and info.version: the
	// shipped errata apply by default to any spec that has them (the
	// embedded one, or the same version given with --spec).
	Title, Version string
}

// Load loads the source's spec: file (or the embedded one when empty)
// with errata (a path, ErrataNone, or "" for the shipped errata).
func (s Source) Load(file, errata string) (*Doc, error) {
	return Load(Options{Source: s, File: file, Errata: errata})
}

// MustDoc loads the embedded spec with the shipped errata and panics on
// failure; for tests and benchmarks.
func (s Source) MustDoc() *Doc {
	d, err := s.Load("", "")
	if err != nil {
		panic(err)
	}
	return d
}

// Embedded returns a copy of an embedded file ("modica-wab-v1.2.0.yaml").
func Embedded(name string) ([]byte, error) {
	data, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("embedded spec %s: %w", name, err)
	}
	return data, nil
}

// EmbeddedSpecs names every embedded spec (not the errata overlays), sorted.
func EmbeddedSpecs() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".errata.yaml") {
			names = append(names, e.Name())
		}
	}
	return names
}

// Options selects the spec and errata to load.
type Options struct {
	// Source is the dialect's embedded spec, used when File is empty, and
	// whose errata apply by default.
	Source Source
	// File is a spec path; empty means Source's embedded spec.
	File string
	// Errata is an overlay path, ErrataNone for strict mode, or empty for
	// the default: Source's shipped errata when the spec is the one they
	// were written for, none otherwise.
	Errata string
}

// Doc is a loaded, errata-applied spec.
type Doc struct {
	// Name is how reports name the spec ("modica-wab-v1.2.0.yaml (embedded)").
	Name string
	// Path is the file name used in file:line:col locations.
	Path string
	// Published holds the bytes as read, before any errata.
	Published []byte
	// Bytes holds the bytes the model was built from (after errata).
	Bytes []byte
	// T is the kin-openapi model of Bytes, with all refs resolved.
	T *openapi3.T
	// Errata says which errata were applied.
	Errata ErrataReport
	// Warnings lists problems that did not stop loading, such as
	// kin-openapi validation errors of the document itself.
	Warnings []string
	// Notes are lines a command shows its user once: what wabcheck does not
	// check in this document (the 3.1 keywords of an OpenAPI 3.1 spec).
	Notes []string

	locOnce sync.Once
	loc     *Locator
}

// Load reads, checks and builds a spec as opts say. Every error it returns
// is a configuration error: it names the file and what is wrong with it.
func Load(opts Options) (*Doc, error) {
	d, err := published(opts)
	if err != nil {
		return nil, err
	}
	if opts.File != "" {
		data, err := ReadFile(opts.File)
		if err != nil {
			return nil, &LoadError{Input: "spec", Err: err}
		}
		d.Name, d.Path, d.Published = opts.File, opts.File, data
	}
	if err := CheckOpenAPI(d.Path, d.Published); err != nil {
		return nil, &LoadError{Input: "spec", Err: err}
	}
	patched, report, err := applyErrata(d.Path, d.Published, opts)
	if err != nil {
		return nil, &LoadError{Input: "errata", Err: err}
	}
	d.Bytes, d.Errata = patched, report
	sc, err := checkSchemas(patched, d.Locate)
	if err != nil {
		return nil, &LoadError{Input: "spec", Err: err}
	}
	if sc.V31 {
		d.Notes = append(d.Notes, d.Path+" is OpenAPI 3.1: "+sc.Unchecked31())
	}
	t, err := buildModel(d.Path, patched, opts.File != "")
	if err != nil {
		return nil, &LoadError{Input: "spec", Err: err}
	}
	d.T = t
	d.validateModel(sc)
	return d, nil
}

// maxValidateWork bounds kin-openapi's document validation, which walks
// every schema reachable from each component schema anew: quadratic on a
// long chain of schemas (20,000 chained schemas took minutes). The bound is
// on component schemas times schemas; YCloud's spec, the largest real one
// we know, is well under a tenth of it.
const maxValidateWork = 4_000_000

// validateModel runs kin-openapi's document validation and keeps its
// complaints as warnings. It is skipped for a document so large that it
// could take minutes; schema defaults are left out when some schema lies on
// a cycle of schemas without `type`: kin-openapi's Schema.IsEmpty never
// returns there.
func (d *Doc) validateModel(sc *SchemaScan) {
	if work := sc.ComponentSchemas * sc.Schemas; work > maxValidateWork {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s: kin-openapi document validation skipped: %d component schemas and %d schemas in all are too many for it", d.Path, sc.ComponentSchemas, sc.Schemas))
		return
	}
	opts := []openapi3.ValidationOption{openapi3.DisableExamplesValidation()}
	if sc.BareCycles {
		opts = append(opts, openapi3.DisableSchemaDefaultsValidation())
		d.Warnings = append(d.Warnings, d.Path+": schema defaults not checked: some schemas lie on a cycle of schemas without `type`, which kin-openapi cannot check values against")
	}
	if err := d.T.Validate(context.Background(), opts...); err != nil {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s: kin-openapi validation: %v", d.Path, err))
	}
}

// published starts a Doc from the embedded spec of opts.Source; Load then
// replaces it with opts.File when one is given.
func published(opts Options) (*Doc, error) {
	if opts.File != "" {
		return &Doc{}, nil
	}
	if opts.Source.Name == "" {
		return nil, &LoadError{Input: "spec", Err: errors.New("no spec: give --spec FILE or a --vendor with an embedded spec")}
	}
	data, err := Embedded(opts.Source.Name)
	if err != nil {
		return nil, &LoadError{Input: "spec", Err: err}
	}
	return &Doc{Name: opts.Source.Name + " (embedded)", Path: opts.Source.Name, Published: data}, nil
}

// ReadFile reads a spec-like file with a size bound, naming the file in
// every error.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("read %s: is a directory, not a file", path)
	}
	if st.Size() > MaxSpecBytes {
		return nil, fmt.Errorf("read %s: file is %d bytes; wabcheck reads at most %d bytes from it", path, st.Size(), MaxSpecBytes)
	}
	// The size from Stat is 0 for devices and pipes (/dev/zero, <(cmd)):
	// bound the read itself too.
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxSpecBytes+1)); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if buf.Len() > MaxSpecBytes {
		return nil, fmt.Errorf("read %s: more than %d bytes; wabcheck reads at most %d bytes from it", path, MaxSpecBytes, MaxSpecBytes)
	}
	return buf.Bytes(), nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// CheckOpenAPI rejects input that is not an OpenAPI 3.x document in YAML or
// JSON, with a one-line reason. It parses with alias-expansion limits, so a
// YAML bomb is an error, not a hang.
func CheckOpenAPI(path string, data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s: file is empty", path)
	}
	var top any
	if err := yaml.Unmarshal(data, &top); err != nil {
		return fmt.Errorf("%s: not valid YAML or JSON: %s", path, oneLine(err.Error()))
	}
	m, ok := top.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: not an OpenAPI document: the top level is not a mapping", path)
	}
	if v, ok := m["swagger"]; ok {
		return fmt.Errorf("%s: this is Swagger %v (OpenAPI 2.0); wabcheck needs OpenAPI 3.x: convert it first (for example with swagger2openapi)", path, v)
	}
	v, ok := m["openapi"]
	if !ok {
		return fmt.Errorf("%s: not an OpenAPI document: no top-level `openapi` field", path)
	}
	if s := fmt.Sprint(v); !strings.HasPrefix(s, "3.") {
		return fmt.Errorf("%s: openapi version %q is not supported; wabcheck needs OpenAPI 3.x", path, s)
	}
	if _, ok := m["paths"]; !ok {
		return fmt.Errorf("%s: not a usable OpenAPI document: no top-level `paths`", path)
	}
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func buildModel(path string, data []byte, onDisk bool) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	var t *openapi3.T
	var err error
	if onDisk {
		if abs, aerr := filepath.Abs(path); aerr == nil {
			t, err = loader.LoadFromDataWithPath(data, &url.URL{Path: abs})
		}
	}
	if t == nil && err == nil {
		t, err = loader.LoadFromData(data)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot build the OpenAPI model: %s", path, oneLine(err.Error()))
	}
	return t, nil
}

// BasePath is the path part of the first server URL ("/rest/wab/v1" for
// Modica), or "" when the spec declares no server.
func (d *Doc) BasePath() string {
	if d.T == nil || len(d.T.Servers) == 0 {
		return ""
	}
	u, err := url.Parse(d.T.Servers[0].URL)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

// Locate maps a JSON pointer into the spec document to its place in the
// published file. Nodes the errata added have no published place; Locate
// then returns the nearest published ancestor.
func (d *Doc) Locate(pointer string) Location {
	d.locOnce.Do(func() { d.loc = NewLocator(d.Path, d.Published) })
	return d.loc.Locate(pointer)
}

// LoadError says which input Load could not use: "spec" (the --spec file
// or the embedded one) or "errata" (the overlay). Its message names the
// file and the problem; callers add the flag.
type LoadError struct {
	Input string
	Err   error
}

func (e *LoadError) Error() string { return e.Err.Error() }

func (e *LoadError) Unwrap() error { return e.Err }
