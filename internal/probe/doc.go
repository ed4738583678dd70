// Package probe runs schema-driven cases against an API: for every
// operation of a spec (errata applied) it generates requests that break one
// rule of the spec at a time (negative cases) and requests the spec allows
// (positive cases: examples and boundary values), sends them, and checks
// each answer. It is wabcheck's counterpart of Schemathesis's coverage,
// examples and stateful phases (docs/probe.md compares them check by
// check).
//
// The pipeline is Plan → Run → Result:
//
//   - Plan walks each operation's parameters and request body schema
//     (kin-openapi, after errata) and yields Cases. Every negative case
//     carries one violated rule (`maxLength: 255`, `required: type`, …) and
//     the spec pointer of that rule; every case is checked against
//     internal/validate before it is sent, so a positive case is valid and
//     a negative one invalid by the same validator the simulator and the
//     conformance suite use. Pattern violations are judged in ECMA-262
//     (internal/speclint.ECMARegexp), the dialect clients use. Generation
//     is deterministic for a seed.
//   - Run sends the cases (bounded concurrency, no redirects, 429s retried
//     after Retry-After), follows stateful links (OpenAPI `links` and the
//     dialect's own: send → retrieve, upload → download) and delivery
//     receipts, and applies the checks (Check… constants).
//   - Failures are shrunk (the same violation on the smallest valid
//     request, shortest values) and de-duplicated by operation × check ×
//     rule; each Finding has a redacted curl line (credentials as
//     $WABCHECK_… variables), the answer, the rule and its file:line:col.
//
// Everything vendor-specific comes through the Dialect interface: how to
// authorize, which operations send real messages (and where their
// recipients are), and which stateful links exist beyond the spec's
// (dialect.Explorer, dialect.ItemRejecter; Modica's are in its dialect
// package).
package probe
