// Package onpremsim is the simulator wire (internal/sim) of the WhatsApp
// Business API on-premises client: POST /v1/users/login (HTTP Basic →
// bearer token with expires_after; a missing, wrong or expired token gets
// 401 in Meta's error shape), POST /v1/messages (text, template, media,
// interactive → {messages: [{id}]} with ids shaped like Meta's), PUT
// /v1/messages/{id} (mark an inbound message read), POST /v1/contacts,
// POST/GET/DELETE /v1/media, GET/PATCH /v1/settings/application (the
// webhook URL, sent_status, the callback backoff settings) and GET
// /v1/health.
//
// Status changes and inbound messages are posted to the application's
// webhook URL in batches (sim.Batcher: statuses[], messages[] with
// contacts[], several per POST), in the on-premises format or, with the
// option webhook-format=cloud, in the Cloud API envelope signed with
// X-Hub-Signature-256 under the app secret (option app-secret, else
// $WABCHECK_APP_SECRET; never logged). sent notifications come only when
// sent_status is on. The client promises no order: lawful duplicates,
// reorders and skips are on by default (sim.Walks.Disorder). The
// throughput limit per business number (error 130429) and the pair rate
// limit per recipient (error 131056) are options. Magic numbers select a
// message's fate; the wire's faults reproduce the defects a conformance
// run must catch. docs/simulator.md documents all of it.
//
// It registers itself with sim.RegisterWire as "onprem".
package onpremsim
