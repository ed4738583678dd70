@errors
Feature: Invalid requests (YCloud)
  YCloud answers an invalid request with 400 and its error body,
  {"error": {status, code, message, target, requestId}}, where target names
  the parameter at fault (YCloud, "Handle errors"); the request id is also
  in the YCloud-Request-ID header. Every answer is validated against the
  spec with errata (Y4-Y8 declare the error bodies, Y13-Y15 what a send must
  carry). YCloud documents target as the parameter at fault without listing
  its values for body fields; the exact names below (@sim-only) are the
  simulator's.

  Background:
    Given valid credentials

  Scenario: A send to a number that is not E.164 is refused naming to
    When I send a text message to a number that is not E.164
    Then the response status is 400
    And the response is an error body
    And the response field "error.status" is "400"
    And the response field "error.target" is "to"

  @sim-only
  Scenario Outline: A send with <problem> is refused naming <target>
    When I send a message:
      """json
      <body>
      """
    Then the response status is 400
    And the response is an error body
    And the response field "error.target" is "<target>"

    Examples:
      | problem                           | body                                                                                   | target    |
      | a sender that is not E.164        | {"from": "business", "to": "{{to}}", "type": "text", "text": {"body": "hi"}}          | from      |
      | no text for a text message        | {"from": "{{from}}", "to": "{{to}}", "type": "text"}                                  | text      |
      | a text without its body           | {"from": "{{from}}", "to": "{{to}}", "type": "text", "text": {}}                      | text.body |
      | no recipient                      | {"from": "{{from}}", "type": "text", "text": {"body": "hi"}}                          | to        |

  @sim-only
  Scenario: A webhook endpoint without a URL is refused naming url
    When I POST "/webhookEndpoints" with body:
      """json
      {"enabledEvents": ["whatsapp.message.updated"]}
      """
    Then the response status is 400
    And the response is an error body
    And the response field "error.target" is "url"

  Scenario Outline: <operation> of a webhook endpoint nobody created is not found
    When I make a "<operation>" request
    Then the response status is 404
    And the response is an error body

    Examples:
      | operation                                |
      | GET /webhookEndpoints/{id}               |
      | PATCH /webhookEndpoints/{id}             |
      | DELETE /webhookEndpoints/{id}            |
      | POST /webhookEndpoints/{id}/rotateSecret |

  Scenario: A page size over the maximum is refused naming limit
    When I GET "/webhookEndpoints?limit=1000"
    Then the response status is 400
    And the response is an error body
    And the response field "error.target" is "limit"

  @sim-only
  Scenario: Marking read a customer's message nobody sent is not found
    When I make a "POST /whatsapp/inboundMessages/{id}/markAsRead" request
    Then the response status is 404
    And the response is an error body
