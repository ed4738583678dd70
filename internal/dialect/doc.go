// Package dialect is the seam between wabcheck's neutral harness and one
// vendor's WhatsApp Business API. A Dialect says, for one vendor, what the
// harness cannot know from an OpenAPI document alone:
//
//   - its contract: the embedded spec and the errata overlay that applies
//     to it by default (Spec);
//   - its credentials: HTTP Basic, an API-key header, or a bearer token
//     obtained from a login call and refreshed before it expires (NewAuth);
//   - its operations, as neutral verbs: send a text, template or media
//     message (Sender, required), and the optional capabilities Broadcaster,
//     Retriever, ReadMarker, MediaStore and HealthChecker. Each builds the
//     vendor's Request (operation id, method, path, body) and reads the
//     vendor's answer into neutral values. A dialect that lacks a capability
//     does not implement the interface; Lacks names the reason a scenario
//     that needs it is skipped;
//   - its callbacks (CallbackModel): which spec callback validates which
//     kind of POST, how one POST becomes one or many Events, and how the
//     signature of a POST is verified (Verifier, optional);
//   - its delivery statuses (StatusModel): ranks, final and failure
//     statuses, and whether the vendor promises an order (Modica: a reversal
//     is a defect) or not (YCloud, Meta: disorder and duplicates are lawful
//     and are counted, not reported as defects);
//   - its rate-limit contract (RateLimitModel): an advertised-limit header
//     or none, Retry-After bounds or none;
//   - how webhooks are pointed at the harness (WebhookRegistrar, optional):
//     configured out of band (Modica), registered through the API with a
//     signing secret in the answer (YCloud), or set in the application
//     settings (on-premises client).
//
// Dialects register themselves by name (Register, as database/sql drivers
// do); the harness looks them up with Get and never imports a vendor
// package. internal/dialect/all imports every vendor package for its
// registration side effect; only package main imports it. The simulator's
// wire format for a vendor is the sim.Wire a dialect returns from its
// SimWire method (see package internal/sim).
package dialect
