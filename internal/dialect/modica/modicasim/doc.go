// Package modicasim is the Modica WAB v1.2.0 wire of the simulator
// (internal/sim): the routes under the spec's base path, HTTP Basic
// authentication, the spec's APIErrorResponse for every error, the
// security and X-RateLimit-Limit headers on every answer, 202 send answers
// with UUID message ids, broadcasts, message details, PATCH read, media
// upload and download, /source and /healthz; StatusCallback DLRs and
// ReplyCallback MOs posted to the account's "status" and "reply" callback
// URLs; the magic destination numbers; and the Modica faults (wrong
// success status, missing or non-UUID message id, unknown status values,
// missing security or rate-limit headers, bad Retry-After, short broadcast
// results, invalid E.164 accepted).
//
// It registers itself with sim.RegisterWire as "modica".
package modicasim
