// Package onprem is the dialect of Meta's WhatsApp Business API in its
// on-premises form (seed 003, spec/whatsapp-business-api-onprem.yaml with
// its errata), whose message, status and error objects live on in the
// Cloud API:
//
//   - credentials: POST /v1/users/login with HTTP Basic returns a bearer
//     token and its expiry (expires_after, 7 days by default); every other
//     call carries "Authorization: Bearer <token>". NewAuth logs in on
//     first use and again before the token expires, and never prints it;
//   - sending: POST /v1/messages {to, recipient_type, type, text | template
//     | image | …} answers {messages: [{id}]} (no status, no client
//     reference); PUT /v1/messages/{id} {status: read} marks an inbound
//     message read; POST/GET /v1/media upload and download media; GET
//     /v1/health; POST /v1/contacts checks numbers (ContactsRequest);
//   - webhooks: the application's one webhook URL, set with PATCH
//     /v1/settings/application (WebhookRegistrar, restoring the old URL on
//     Undo), receives batches {statuses[], messages[], contacts[],
//     errors[]}: the callback kind "onprem". The Cloud API wraps the same
//     objects in its envelope {object: whatsapp_business_account, entry:
//     [{changes: [{value: {…}}]}]} and signs each POST with
//     X-Hub-Signature-256 (sha256= and the hex HMAC-SHA256 of the raw body
//     keyed with the app secret): the kind "cloud", verified by Verify. Only
//     cloud POSTs are signed; a receiver verifies them only when it has an
//     app secret. Events splits a batch into one Event per status, inbound
//     message and error, each with the JSON pointer of its item;
//   - statuses: sent, delivered, read, failed, deleted, warning, with no
//     ordering guarantee (sent notifications are off by default, read
//     implies delivered, which may never come);
//   - limits: no advertised rate-limit header; the documented throughput
//     is 80 messages per second per business number (error 130429), and
//     about one message every 6 s to one recipient (error 131056), both
//     answered 400 with Meta's error body {meta, errors: [{code, title,
//     details}]} (ReadErrors).
//
// It registers itself as "onprem" with package dialect. Its simulator wire
// is package onpremsim.
package onprem
