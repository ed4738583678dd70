// Package ycloud is the dialect of YCloud's API v2, WhatsApp part (seed 002,
// spec/ycloud-api-v2.yaml with its errata): an X-API-Key header; messages
// enqueued with POST /whatsapp/messages (answered 200 with the
// WhatsappMessage, status accepted) or sent with POST
// /whatsapp/messages/sendDirectly (Message.Via "direct"); GET
// /whatsapp/messages/{id}; POST /whatsapp/inboundMessages/{id}/markAsRead;
// webhook endpoints registered through POST /webhookEndpoints, whose answer
// carries the signing secret; events whatsapp.message.updated and
// whatsapp.inbound_message.received in the Event envelope, signed with
// YCloud-Signature: t=<unix seconds>,s=<hex HMAC-SHA256 of "<t>.<body>">;
// five statuses (accepted, sent, delivered, read, failed) with no ordering
// guarantee and at-least-once delivery; per-sender rate limits (200/s
// enqueue, 80/s sendDirectly) and no advertised-limit header.
//
// It registers itself as "ycloud" with package dialect. Its simulator wire
// is in the subpackage ycloudsim.
package ycloud
