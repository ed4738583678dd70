// Package callbacks is the callback receiver shared by `wabcheck conform`
// and `wabcheck load`: an http.Handler that accepts a vendor's delivery
// receipts (DLR, POST …/status) and replies (MO, POST …/reply), answers 200
// at once, validates each body against the spec (internal/validate, all of
// them or a sample), and correlates DLRs with the messages the harness sent.
//
// The harness registers every message it got a 202 for with Expect(id,
// reference, sentAt). For each DLR the receiver records an Event and flags
// it Duplicate (a status the message already had), Illegal (a status that
// may not follow the earlier ones, per dlr.Legal; also a
// dlr-illegal-transition finding) or with a dlr-reference-mismatch finding.
// A DLR may arrive before its 202 is processed, so whether a callback is
// Unknown (its id never expected) is decided when queried, not on arrival.
//
// Conformance steps read Events, Wait (woken by each arrival of the id,
// without polling), Replies, WaitReply and Unknown. Load reads Summary:
// DLRs by status, messages with and without a terminal status, duplicates,
// unknown ids, illegal transitions, findings by code, and exact
// send → first-terminal-DLR latency percentiles.
//
// Messages are spread over 64 shards by id hash, each with its own lock.
// Per-message state is a few dozen bytes plus 24 bytes per DLR; headers are
// kept (redacted) unless Options.Lean, bodies only with
// Options.KeepBodies, so a load run with millions of messages stays within
// a few hundred MB.
package callbacks
