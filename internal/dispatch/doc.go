// Package dispatch is the simulator's callback delivery engine: it POSTs DLR
// ("status") and MO ("reply") callbacks to the receiver's URL the way a real
// vendor's webhook sender does, at least once.
//
// A Dispatcher owns a fixed pool of Config.Workers goroutines and one
// scheduler goroutine with a timer heap; no goroutine is started per
// delivery or per pending retry. Deliveries are accepted into a bounded
// queue (Config.QueueSize counts every accepted delivery that has not yet
// been delivered or given up, including those in flight and those backing
// off). When it is full, Enqueue blocks (backpressure) and TryEnqueue
// refuses and counts the delivery as dropped.
//
// Delivery semantics:
//
//   - Success is any 2xx answer. A non-2xx answer, a connection error or a
//     timeout (Config.Timeout per attempt) is a failure and is retried with
//     exponential backoff (Config.InitialBackoff doubling up to
//     Config.MaxBackoff, with seeded "equal jitter": half the step plus a
//     random part of the other half). A 429 or 503 answer carrying
//     Retry-After (seconds or an HTTP date) waits that long instead, bounded
//     by Config.MaxBackoff. After Config.MaxAttempts attempts a delivery is
//     given up and counted in Stats.GivenUp.
//   - Deliveries that share a Key (the message id) are delivered strictly in
//     enqueue order: the next one is not attempted until the previous one
//     succeeded or was given up, across retries. A key whose head is backing
//     off does not hold up other keys. An empty Key means "no ordering".
//   - Redirects are not followed: a 3xx is a non-2xx answer and is retried.
//   - Every attempt is a POST with Content-Type: application/json, the
//     configured User-Agent and the delivery's extra headers. Credentials in
//     the URL's userinfo (https://user:p%40ss@host/path, URL-encoded as
//     Modica's documentation asks) are decoded and sent as an
//     "Authorization: Basic" header, and removed from the URL the receiver
//     sees. Logs only ever show the URL through redact.URL.
//
// Close stops accepting, drains until its context is done, then cancels the
// attempts in flight and reports how many deliveries were left undelivered.
// Flush waits for the queue to empty without closing it.
//
// Config.Now and Config.After make the backoff clock injectable, so tests
// drive retries with a fake clock instead of sleeping.
package dispatch
