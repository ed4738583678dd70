// Package ycloudsim is the YCloud API v2 wire of the simulator
// (internal/sim): the WhatsApp operations under the spec's base path (/v2)
// with X-API-Key authentication — POST /whatsapp/messages (enqueue,
// answered 200 with the WhatsappMessage, status accepted), POST
// /whatsapp/messages/sendDirectly, GET /whatsapp/messages/{id}, POST
// /whatsapp/inboundMessages/{id}/markAsRead — and the webhook endpoints
// (POST/GET/PATCH/DELETE /webhookEndpoints, rotateSecret) with a whsec_
// signing secret each, at most 20; YCloud's error body {"error": {status,
// code, message, target, requestId}} and the YCloud-Request-ID header on
// every answer; per-sender rate limits (200/s enqueue, 80/s sendDirectly);
// whatsapp.message.updated events for every status change and
// whatsapp.inbound_message.received for injected customer messages, in the
// Event envelope, signed per attempt with YCloud-Signature and posted to
// every active endpoint subscribed to them; YCloud's retry schedule (10 s,
// 30 s, 5 min, 30 min, 1 h, 2 h, 2 h, scaled by Config.TimeScale) and the
// suspension of endpoints that keep failing (status pending for three
// minutes); the lifecycle accepted → sent → delivered → read, or failed,
// with magic recipient numbers and lawful disorder (duplicates, delivered
// before sent, skipped sent) on by default; and the YCloud faults.
//
// It registers itself with sim.RegisterWire as "ycloud". docs/simulator.md
// (section YCloud) is the user's guide.
package ycloudsim
