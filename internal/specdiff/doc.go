// Package specdiff compares two OpenAPI 3.x specs and classifies every
// change as breaking or not for a client of the API; it backs
// `wabcheck spec diff`.
//
// libopenapi's what-changed engine finds the changes; specdiff walks its
// change tree, works out which way the data flows at each change (request:
// client to API; response: API to client; callbacks and webhooks flip the
// two) and applies its own rules, documented in docs/diff-rules.md. A
// change inside a component schema is classified once for every direction
// the schema is used in, and names the operations that use it.
package specdiff
