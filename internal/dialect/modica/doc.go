// Package modica is the dialect of Modica's WhatsApp Business Messaging
// API v1.2.0 (seeds 000, 001, 004): HTTP Basic credentials, POST /messages
// answered 202 {message_id, status}, broadcasts of up to 1,000
// destinations, DLR callbacks {id, status, reference} posted to a status
// URL and MO callbacks {id, source, destination, content} to a reply URL,
// both configured out of band; ten DLR statuses in one strict order;
// X-RateLimit-Limit on every response and 429 + Retry-After (10–1000 s).
//
// It registers itself as "modica" with package dialect. Its simulator
// wire format (routes, bodies, errors, callbacks, the Modica faults and
// magic numbers) is in sim*.go; its wire-level features are in
// features/modica/.
package modica
