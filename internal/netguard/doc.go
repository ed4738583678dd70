// Package netguard holds wabcheck's network exposure rules in one place:
//
//   - listeners: Listen and CheckLoopback keep a listener on loopback unless
//     the caller allows remote access (every --listen and --callback-listen
//     flag goes through them);
//   - callback URLs: CheckURL refuses control characters (raw or
//     percent-encoded), ports outside 1–65535 and, unless allowed, hosts
//     that are link-local or cloud metadata endpoints;
//   - dialling: DialControl is a net.Dialer Control hook that refuses a
//     connection to such an address after name resolution, so a hostname
//     that resolves to 169.254.169.254 is caught too.
//
// The metadata list (Blocked, blockedNames) is documented in
// docs/simulator.md.
package netguard
