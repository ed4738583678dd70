// Package onpremseed rebuilds the OpenAPI document of the WhatsApp Business
// API (on-premises client) from seed 003, a rendered page of that spec.
//
// The page lists, in order: a title line, a line of page chrome (a link
// and the hosting site's tagline), the server URLs one per line, then one
// block per operation — the path, an optional description line, an
// optional Markdown parameter table, the request body as JSON, and the
// line "METHOD /path" — and finally every component schema as its name on
// one line followed by its JSON. It has no operation responses, operation
// ids, tags or security.
//
// Parse reads that structure strictly (anything it does not recognise is an
// error naming the line) and Render writes OpenAPI 3.0.3 YAML that keeps
// the seed's names, descriptions and examples exactly, in the seed's order.
// cmd/onpremseed is the command that regenerates
// spec/whatsapp-business-api-onprem.yaml.
package onpremseed
