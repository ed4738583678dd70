// Package callbacks is the callback receiver shared by `wabcheck conform`
// and `wabcheck load`: an http.Handler that accepts a vendor's callback
// POSTs of the kinds its dialect names (dialect.CallbackModel; Modica:
// delivery receipts, DLRs, to …/status and replies, MOs, to …/reply),
// verifies signed ones, splits each POST into events, answers with the
// dialect's acknowledgement at once, validates each body against the spec
// callback the dialect names for its kind (internal/validate, all of them
// or a sample), and correlates DLRs (status events) with the messages the
// harness sent.
//
// The harness registers every message it got a 202 for with Expect(id,
// reference, sentAt). For each DLR the receiver records an Event and flags
// it Duplicate (a status the message already had), Illegal (a status that
// may not follow the earlier ones, per the status model; also a
// dlr-illegal-transition finding) or with a dlr-reference-mismatch finding.
// A DLR may arrive before its 202 is processed, so whether a callback is
// Unknown (its id never expected) is decided when queried, not on arrival.
// What the receiver knows of statuses (which exist, which may follow which,
// which are final) sits behind one small interface, statusModel, in
// status.go.
//
// Conformance steps read Events, Wait (woken by each arrival of the id,
// without polling), Replies, WaitReply and Unknown. Load reads Summary:
// DLRs by status, messages with and without a final status, duplicates,
// unknown ids, illegal transitions, late DLRs, findings by code, and
// send → first-final-DLR latency percentiles from a mergeable
// LatencyHistogram (HdrHistogram, written as LatencyFile by load).
//
// # Bounded memory
//
// The listener may be reachable by anyone, so every callback is counted but
// only a bounded copy of it is kept (Options): bodies to 4 KiB, headers to
// 4 KiB, 16 findings; the first 100 DLRs per message id; the first 1,000
// callbacks for unknown ids or without a usable id; 10,000 ids tracked
// before they are expected; the first 1,000 replies. Summary.NotKept and
// NotKeptFor say how many were counted but not kept.
//
// With Options.Settle (load), memory is bounded by messages in flight, not
// by messages sent: a message leaves the table Settle after its first final
// DLR; its later DLRs are checked against a fixed-size table of settled
// messages (16 bytes each; a 64-bit id hash, the statuses seen, the last
// status and a hash of the reference) and counted as late, duplicate or
// illegal just as before. Conform keeps every message for the run.
//
// Messages are spread over 64 shards by id hash, each with its own lock
// and counters, so Summary does not walk the messages.
package callbacks
