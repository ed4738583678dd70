// Package sim is a stateful, fast simulator of the Modica WhatsApp Business
// (WAB) Messaging API v1.2.0, served by `wabcheck sim` and run in-process by
// `wabcheck conform` and `wabcheck load`.
//
// It serves every operation of the spec under doc.BasePath(), validates every
// request against the spec (internal/validate) and answers errors in the
// spec's APIErrorResponse schema. Accepted messages walk a DLR lifecycle
// (accepted → submitted → sent → received → read, or a failure) driven by one
// scheduler goroutine; each status change is posted to the configured status
// callback URL through internal/dispatch (at-least-once, retries, per-message
// order). Magic destination numbers (MagicRejected, ...) select failure paths
// deterministically; ratios (Config.FailRatio, ...) select them at random
// from Config.Seed.
//
// Everything a test or a user needs to steer the simulator is under /_sim/
// (the admin API, same credentials): statistics, run-time configuration,
// fault injection (see Faults for the catalogue of vendor defects the
// simulator can reproduce), MO (reply) injection and simulated reads.
//
// docs/simulator.md is the user's guide.
package sim
