// Package sim is the core of wabcheck's stateful, fast simulator of a
// vendor's WhatsApp Business API, served by `wabcheck sim` and run
// in-process by `wabcheck conform` and `wabcheck load`.
//
// The core knows no vendor. A vendor's wire format — routes, request and
// answer bodies, the error shape, authentication, what a status change or
// an inbound message posts, its lifecycle paths (Walks) and its own faults
// — is a Wire, implemented in the vendor's dialect folder
// (internal/dialect/<vendor>/<vendor>sim, for example Modica's) and
// registered with RegisterWire. The core keeps what every vendor shares:
// the message store, one scheduler goroutine that walks accepted messages
// through the dialect's status model, callback dispatch through
// internal/dispatch (at-least-once, retries, per-message order, signing
// per attempt), the fault catalogue (Faults: the vendor defects the
// simulator can reproduce, core ones a wire opts into and its own), rate
// limiting, media and the admin API.
//
// Every request is authenticated by the wire; the vendor API is served
// under the spec's base path, and everything a test or a user needs to
// steer the simulator is under /_sim/ (the admin API, same credentials):
// statistics, run-time configuration, fault injection, inbound (customer)
// message injection and simulated reads. Magic recipient numbers (a
// wire's Walks.Magic) select paths deterministically; ratios
// (Config.FailRatio, ...) select them at random from Config.Seed.
//
// docs/simulator.md is the user's guide.
package sim
