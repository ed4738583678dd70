@errors
Feature: Invalid requests (Modica)
  A request the API cannot accept is answered with a 4XX status and an error
  body, never with a 5XX and never with a 2XX.

  Background:
    Given valid credentials

  Scenario Outline: POST /messages with <problem> is a client error
    When I POST "/messages" with body:
      """json
      <body>
      """
    Then the response status is a client error (4XX)
    And the response is an error body

    Examples:
      | problem                     | body                                                                    |
      | an invalid E.164 number     | {"destination": "0211234567", "type": "text", "text": {"body": "hi"}}   |
      | no type                     | {"destination": "{{to}}", "text": {"body": "hi"}}                       |
      | an unknown type             | {"destination": "{{to}}", "type": "carrier-pigeon", "text": {"body": "hi"}} |
      | a text body over maxLength  | {"destination": "{{to}}", "type": "text", "text": {"body": "{{256 x}}"}} |
      | no text                     | {"destination": "{{to}}", "type": "text"}                               |
      | malformed JSON              | {"destination": "{{to}}", "type": "text", "text": {"body": "hi"        |

  Scenario: POST /messages with a wrong Content-Type is a client error
    When I POST "/messages" with content type "text/plain" and body:
      """
      destination={{to}}&type=text&text=hi
      """
    Then the response status is a client error (4XX)
    And the response is an error body

  Scenario: GET /messages for an unknown message id is a client error
    When I GET "/messages?id=00000000-0000-4000-8000-000000000000"
    Then the response status is a client error (4XX)
    And the response is an error body

  Scenario: PATCH /messages for an unknown message id is a client error
    When I PATCH "/messages" with body:
      """json
      {"message_id": "00000000-0000-4000-8000-000000000000"}
      """
    Then the response status is a client error (4XX)
    And the response is an error body
