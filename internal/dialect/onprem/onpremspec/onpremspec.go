// Package onpremspec names the embedded WhatsApp Business API
// (on-premises client) spec and its errata. It is a leaf (it imports only
// package spec) so that any test can load the spec without importing the
// on-premises dialect.
package onpremspec

import "github.com/wabcheck/wabcheck/spec"

// Source is the on-premises client's spec (seed 003, reconstructed) with
// the errata overlay written for it.
var Source = spec.Source{
	Name:    "whatsapp-business-api-onprem.yaml",
	Errata:  "whatsapp-business-api-onprem.errata.yaml",
	Title:   "WhatsApp Business messaging API",
	Version: "unstated",
}

// Load loads the on-premises spec: file (or the embedded one when empty) with
// errata (a path, spec.ErrataNone, or "" for the shipped errata).
func Load(file, errata string) (*spec.Doc, error) { return Source.Load(file, errata) }

// MustDoc loads the embedded spec with the shipped errata and panics on
// failure; for tests and benchmarks.
func MustDoc() *spec.Doc { return Source.MustDoc() }
