@ratelimit
Feature: Per-sender rate limits (YCloud)
  YCloud limits sends per sender (from): 200 requests per second on
  POST /whatsapp/messages and 80 on sendDirectly; over the limit it answers
  429 with its error body, code TOO_MANY_REQUESTS (YCloud, "Rate limits").
  It advertises no limit in a header and promises no Retry-After. Against
  the simulator the limit of one route is lowered to 2 per second through
  /_sim/config for the scenario (put back afterwards); a second sender is
  not limited by the first one's sends. The other operations share the
  account's limit (200 per second), lowered to 1 for their scenarios.

  Background:
    Given valid credentials

  @sim-only @serial
  Scenario: Enqueueing past a sender's limit is answered 429 with YCloud's error body; another sender is not limited
    Given the simulator's option "enqueue-rate" is "2"
    When I send 6 text messages in a row
    Then some responses have status 429
    And every 429 response is an error body
    And every 429 response has the response field "error.code" equal to "TOO_MANY_REQUESTS"
    And every 429 response has the response field "error.status" equal to "429"
    And no response has a 5XX status
    When I send a text message from "+16315552222"
    Then the message is accepted

  @sim-only @serial
  Scenario: sendDirectly past a sender's limit is answered 429 with YCloud's error body
    Given the simulator's option "direct-rate" is "2"
    When I send 6 text messages via "direct" in a row
    Then some responses have status 429
    And every 429 response is an error body
    And every 429 response has the response field "error.code" equal to "TOO_MANY_REQUESTS"
    And no response has a 5XX status

  @sim-only @serial
  Scenario Outline: <operation> past the account's lowered limit is answered 429 with YCloud's error body
    Given the simulator's rate limit is 1 request per second
    When I make 3 "<operation>" requests in a row
    Then some responses have status 429
    And every 429 response is an error body
    And every 429 response has the response field "error.code" equal to "TOO_MANY_REQUESTS"
    And no response has a 5XX status

    Examples: the operations limited per account (YCloud: 200 per second)
      | operation                                      |
      | GET /whatsapp/messages/{id}                    |
      | POST /whatsapp/inboundMessages/{id}/markAsRead |
      | POST /webhookEndpoints                         |
      | GET /webhookEndpoints                          |
      | GET /webhookEndpoints/{id}                     |
      | PATCH /webhookEndpoints/{id}                   |
      | DELETE /webhookEndpoints/{id}                  |
      | POST /webhookEndpoints/{id}/rotateSecret       |
