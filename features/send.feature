@messages
Feature: Send messages
  A client sends text, template and media messages and, where the vendor
  offers it, reads them back. Every response in every scenario is checked
  against the vendor's spec: the status is declared for the operation, the
  declared headers are present and valid, and the body matches its schema.
  A departure fails the step and names the JSON pointer of the offending
  value, the schema rule and its place in the spec. Vendor-specific
  scenarios (request examples, scheduling, the vendor's own fields) are in
  the vendor's folder.

  Background:
    Given valid credentials

  Scenario: A text message is accepted
    When I send a text message
    Then the message is accepted

  Scenario: A template message is accepted
    When I send a template message
    Then the message is accepted

  Scenario Outline: A media message of type <type> is accepted
    When I send a media message of type "<type>"
    Then the message is accepted

    Examples:
      | type     |
      | image    |
      | document |

  @retrieve
  Scenario: A sent message reads back with what was sent
    When I send a text message
    Then the message is accepted
    When I retrieve the message
    Then the response status is 200
    And the retrieved message has the id, recipient and text that were sent
