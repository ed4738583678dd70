// Package validate checks HTTP messages against an OpenAPI spec and reports
// every departure as a Finding with a stable code, the JSON pointer of the
// offending value, the violated rule and where that rule sits in the spec
// file (file:line:col).
//
// New compiles a spec.Doc once: a router over the spec's paths relative to
// its base path (requests may arrive at any host), per-operation parameter,
// request-body and response state, the callbacks' request bodies, and a map
// from every schema to its JSON pointer in the spec. A Validator is safe for
// concurrent use. It serves three callers:
//
//   - Response checks what a vendor answered (conformance steps): status
//     declared (explicit code, then 4XX-style range, then default), every
//     declared header present and valid, Content-Type declared, body JSON and
//     valid against its schema (one Finding per violation).
//   - Request checks what a client sent (the simulator turns the findings
//     into APIError items): path and method known, parameters, Content-Type,
//     body.
//   - Callback checks a callback body of one of the dialect's kinds
//     against the spec callback the dialect names for it (Modica: a DLR
//     against messageCallback's {$statusCallbackUrl}). New is told the
//     kinds (Dialect or Callbacks) and never guesses them from the spec.
//
// Every header a response declares is expected (header-missing when
// absent) even without `required: true`: the Modica spec declares its
// headers that way and its docs say they are always sent.
//
// Schemas are checked with kin-openapi's Schema.VisitJSON: a fail-fast pass
// first (cheap when the message conforms, the common case), then a
// MultiErrors pass only when it fails, so that all violations are reported.
// A oneOf that matches no branch reports the violations of the branch that
// came closest. `format: uuid` is checked (8-4-4-4-12 hex digits) without
// touching kin-openapi's global format registry. The yes/no pass is a
// compiled fastNode per schema that mirrors kin-openapi's OpenAPI 3.0
// validator (see fast.go and docs/performance.md); bodies are decoded by
// DecodeJSON, which returns exactly what encoding/json would.
//
// Schema cycles: New refuses, with a one-line error naming the schema and
// its file:line:col, an unresolved $ref (what a $ref loop leaves) and a
// cycle that leaves a schema without a finite value or recurses on the
// same value (internal/schemagraph; spec.Load refuses the same before
// kin-openapi sees the document). Cycles through properties, items or
// additionalProperties (recursive trees) are checked at every depth: the
// fast path compiles them to cyclic node graphs, and kin-openapi checks
// values against copies of the schemas on which its Schema.IsEmpty, which
// recurses without a visited set, answers at once (kinGraph.safeCopies).
// Every finding's text fields have their control characters escaped, so a
// path or JSON key from a message cannot break its line.
package validate
