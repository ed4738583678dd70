@callbacks @inbound
Feature: Inbound messages of every type, marked read
  A customer's message comes to the webhook as a messages[] item (its
  sender in contacts[]), of any type the spec has. The business marks it
  read with PUT /v1/messages/{id} {status: read}; its own reads are not
  notified.

  Background:
    Given valid credentials

  @sim-only
  Scenario Outline: A customer's <type> message arrives, valid, and is marked read
    When a customer replies with a "<type>" message
    Then an inbound message of type "<type>" arrives
    And the inbound message is valid against the callback schema
    When I mark the customer's message as read
    Then the response status is 200

    Examples:
      | type     |
      | text     |
      | image    |
      | document |
      | audio    |
      | voice    |
      | video    |
      | location |
      | contacts |
      | system   |
      | unknown  |
