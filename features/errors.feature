@errors
Feature: Invalid requests
  A request the API cannot accept is answered with a 4XX status and an error
  body in the vendor's error shape, never with a 5XX and never with a 2XX.
  A vendor that lawfully accepts a send it can only judge later (the
  on-premises client, for a number that cannot be a WhatsApp user) must
  fail it with a failure status instead.

  Background:
    Given valid credentials

  Scenario: A message to a number that is not E.164 is refused
    When I send a text message to a number that is not E.164
    Then the message is refused, at send or by a failure status

  @retrieve
  Scenario: Retrieving a message nobody sent is a client error
    When I retrieve a message nobody sent
    Then the response status is a client error (4XX)
    And the response is an error body
