@ratelimit
Feature: Rate limits
  A client that goes faster than the vendor's limit gets 429 Too Many
  Requests and, where the vendor promises one, a Retry-After header within
  the vendor's bounds; a vendor that advertises its limit does so on every
  response. Modica's per-operation scenarios are in its folder.

  Background:
    Given valid credentials

  Scenario: The response advertises the rate limit
    When I send a text message
    Then the message is accepted
    And the response advertises the rate limit

  @serial @destructive
  Scenario: A burst past the limit is answered with 429 and an error body
    When I send three times the advertised limit of requests at once
    Then some responses have status 429
    And every 429 response has a Retry-After within the vendor's bounds
    And every 429 response is an error body
    And no response has a 5XX status
