// Package spec holds the contract wabcheck checks: the Modica WhatsApp
// Business Messaging API v1.2.0 OpenAPI document, exactly as published (plus
// GET /healthz from the rendered docs), and its errata as an OpenAPI Overlay.
//
// Both files are embedded, so every command works from any folder. Load reads
// either the embedded spec or a --spec file, applies the errata overlay (the
// shipped one, a --errata file, or none for strict mode) and returns a Doc
// carrying the kin-openapi model, the bytes before and after the errata, and
// a locator that maps JSON pointers to file:line:col in the published file.
package spec
