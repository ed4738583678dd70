// Package modicaspec names the embedded Modica WAB v1.2.0 spec and its
// errata. It is a leaf (it imports only package spec) so that any test can
// load the reference spec without importing the Modica dialect.
package modicaspec

import "github.com/wabcheck/wabcheck/spec"

// Source is the Modica WhatsApp Business Messaging API v1.2.0 spec with the
// errata overlay written for it.
var Source = spec.Source{
	Name:    "modica-wab-v1.2.0.yaml",
	Errata:  "modica-wab-v1.2.0.errata.yaml",
	Title:   "Modica WhatsApp Business Messaging API",
	Version: "1.2.0",
}

// Load loads the Modica spec: file (or the embedded one when empty) with
// errata (a path, spec.ErrataNone, or "" for the shipped errata).
func Load(file, errata string) (*spec.Doc, error) { return Source.Load(file, errata) }

// MustDoc loads the embedded spec with the shipped errata and panics on
// failure; for tests and benchmarks.
func MustDoc() *spec.Doc { return Source.MustDoc() }

// Published returns the embedded spec as published.
func Published() []byte {
	data, err := spec.Embedded(Source.Name)
	if err != nil {
		panic(err)
	}
	return data
}

// Errata returns the embedded errata overlay.
func Errata() []byte {
	data, err := spec.Embedded(Source.Errata)
	if err != nil {
		panic(err)
	}
	return data
}
