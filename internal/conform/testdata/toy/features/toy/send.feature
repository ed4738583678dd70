@messages
Feature: Toy wire
  The toy vendor's own scenario: the exact send body and its answer. It
  runs only for the toy (features/toy/ beside the neutral files).

  Scenario: A spelled-out send is answered with the message's UUID
    Given valid credentials
    When I POST "/send" with body:
      """
      {"to": "{{to}}", "ref": "{{ref}}", "type": "text", "text": "hello from the toy"}
      """
    Then the response status is 202
    And the response field "id" is a UUID

  Scenario: A send with a field the toy does not know is refused
    Given valid credentials
    When I POST "/send" with body:
      """
      {"to": "{{to}}", "type": "text", "text": "hi", "colour": "blue"}
      """
    Then the response status is 400
    And the response is an error body
