// Package harness is the running machinery `wabcheck conform`, `wabcheck
// load` and `wabcheck probe` share: the dialect's validator (built once,
// routed under the target's own base path), its authorizer, the callback
// receiver's server, and either the in-process simulator or a real target,
// with the vendor's callbacks pointed at the receiver — configured on the
// simulator, registered through the vendor's API (WebhookRegistrar), or
// announced for the user to configure by hand — and undone when the run
// ends.
package harness
