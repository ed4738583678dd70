@errors
Feature: Invalid requests
  A request the API cannot accept is answered with a 4XX status and an error
  body in the vendor's error shape, never with a 5XX and never with a 2XX.

  Background:
    Given valid credentials

  Scenario: A message to a number that is not E.164 is refused
    When I send a text message to a number that is not E.164
    Then the response status is a client error (4XX)
    And the response is an error body

  @retrieve
  Scenario: Retrieving a message nobody sent is a client error
    When I retrieve a message nobody sent
    Then the response status is a client error (4XX)
    And the response is an error body
