// Package httpc holds the rules every HTTP client of wabcheck follows when
// it talks to a server it does not control (a vendor's API, a callback
// URL, the simulator's admin API):
//
//   - Redirects are never followed. A 3xx is the server's answer and is
//     judged as one (a status the spec does not declare is a finding); a
//     hop would carry the request's credentials to wherever the Location
//     points, a host nobody checked. New builds such a client; NoRedirects
//     makes any client follow the rule.
//   - A response body is read up to a documented limit and no further.
//     ReadBody says whether the body went past the limit, and what is left
//     is drained only up to a small bound (DrainLimit) before the
//     connection is dropped, so a server answering gigabytes costs neither
//     memory nor a long read.
package httpc
