// Package steps is wabcheck's godog step library: the vocabulary the
// conformance features in package features are written in. A Scenario holds
// the state of one scenario (credentials, the last response, the messages
// sent, the HTTP exchanges made) and is created fresh for each scenario, so
// scenarios run concurrently; what they share (one HTTP client, the spec
// validator, the callback receiver) lives in an Env built once per run.
//
// Every HTTP response any step receives is validated against the spec
// (validate.Validator.Response: status declared, headers, body schema) and
// every callback the receiver records is validated by it; a departure fails
// the step with Finding.String(): the code, operation, JSON pointer of the
// offending value, schema rule and the rule's place in the spec.
//
// Steps that change the shared simulator through its admin API (faults,
// rate limit) register how to undo it; an After hook (Restore) puts the
// simulator back when the scenario ends, passed or failed. Such scenarios
// must be tagged @serial so no other scenario runs meanwhile.
//
// Vocabulary (DocStrings and quoted arguments may use placeholders: {{to}}
// the test destination, {{from}} the business number sent from (--from, else
// the simulator's), {{ref}} a reference unique to the scenario,
// {{message_id}} the last accepted message id, {{media_id}} the last
// uploaded media id, {{now+30d}} a time N days ahead, {{256 x}} a string of
// 256 x's):
//
//	Given valid credentials | no credentials | wrong credentials
//	Given the status callback URL carries credentials
//	When I send the spec's "NAME" request example
//	When I send a message:                       (DocString: JSON body)
//	When I send a text message
//	When I send a text message to "+64210000001"
//	When I broadcast a text message to N test destinations
//	When I broadcast a text message to these destinations:   (table: destination)
//	When I get the message by its id
//	When I mark the message as read
//	When I get the health of the API
//	When I (GET|POST|PATCH) "PATH"
//	When I (POST|PATCH) "PATH" with body:                      (DocString)
//	When I (POST|PATCH) "PATH" with content type "TYPE" and body:
//	When I upload a "MIME" file | I upload a "MIME" file of N bytes
//	When I download the uploaded media | I download media "ID"
//	When I send three times the advertised limit of requests at once
//	When I wait as long as the first Retry-After says
//	When a customer replies with a "TYPE" message               (@sim-only)
//	When the tester sends a WhatsApp text message to the business number   (@assisted)
//	Given the simulator answers every request with 500           (@sim-only @serial)
//	Given the simulator's rate limit is N request(s) per second  (@sim-only @serial)
//	When I make a "METHOD /path" request          (a well-formed request of that operation)
//	When I make N "METHOD /path" requests in a row (kept as the burst for the 429 steps)
//	Then the response status is NNN
//	Then the response status is a client error (4XX)
//	Then the response is an error body
//	Then the message is refused, at send or by a failure status   (dialect.LateRefuser)
//	Then the response field "a.b" is a UUID | is a media id | is a DLR status | is "VALUE"
//	Then the response header "NAME" is an integer between A and B
//	Then the downloaded bytes are the uploaded bytes
//	Then there is one result per destination, each with its own UUID id
//	Then every result has status "STATUS"
//	Then the result for "+NUMBER" has status "STATUS"
//	Then delivery receipts arrive until the message reaches a final status
//	Then delivery receipts arrive for every accepted message until each reaches a final status
//	Then the message reaches status "STATUS"
//	Then every delivery receipt of the message is valid against the callback schema
//	Then every delivery receipt of the message carries its id and reference
//	Then the delivery receipts of the message follow a legal order with no duplicates
//	Then every delivery receipt of the message was sent with the callback URL's credentials
//	Then no callbacks arrived for unknown message ids
//	Then a reply callback of type "TYPE" arrives
//	Then the reply callback is valid against the callback schema
//	Then some responses have status 429
//	Then some responses have status NNN naming code "CODE"     (dialect.ErrorCoder)
//	Then every response with status NNN names code "CODE"
//	Then the response is an error naming code "CODE"
//	Then the failure status of the message names code "CODE"
//	When I log in                                  (dialect.Session: the login call, its credentials on it)
//	Then the login answer gives a token that expires in the future
//	Given a fresh login                            (the next request logs in)
//	When I wait until the login token has expired  (skips a token living longer than 15 s)
//	When I send a text message with the expired token
//	Then the harness has logged in again
//	Given the simulator option "NAME" is "VALUE"  (a live wire option; @sim-only @serial)
//	Given the simulator fault "NAME" is on        (@sim-only @serial)
//	When I send a text message to each of N test destinations
//	Then some delivery receipts of the accepted messages came several to a POST
//	Then every delivery receipt of every accepted message is valid against the callback schema
//	Then every delivery receipt of the message fails signature verification with "CODE"
//	When I register the callback receiver as the vendor's webhook   (dialect.WebhookRegistrar; undone after)
//	Then every 429 response has a "Retry-After" header between A and B
//	Then every 429 response is an error body
//	Then no response has a 5XX status
//	Then every 429 response has the response field "error.code" equal to "VALUE"
//	When I send a text message from "+NUMBER"     (another business number)
//	When I send N text messages in a row | I send N text messages via "ROUTE" in a row   (kept as the burst)
//	When I keep the response field "a.b" as "NAME"   (then {{NAME}} in later steps)
//	Then the response field "a.b" matches "REGEX"
//	Then the retrieved message's status is not behind its delivery receipts
//	Then every delivery receipt of the message has a valid signature
//	Then every delivery receipt of the message has the finding "CODE"   (a defect the scenario provoked)
//	Then some delivery receipt of the message is a duplicate | arrived out of order
//	Given the simulator's fault "NAME" is on                     (@sim-only @serial)
//	Given the simulator's option "NAME" is "VALUE"               (@sim-only @serial; a wire's run-time option)
//	Given the simulator's lawful disorder is D duplicate, R reorder and S skip   (@sim-only @serial)
package steps
