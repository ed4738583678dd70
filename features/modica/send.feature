@messages
Feature: Send messages (Modica)
  A client sends text, template and media messages with POST /messages, reads
  them back with GET /messages and marks them as read with PATCH /messages.
  Every response in every scenario is checked against the spec: the status is
  declared for the operation, the declared headers are present and valid, and
  the body matches its schema. A departure fails the step and names the JSON
  pointer of the offending value, the schema rule and its place in the spec.

  In DocStrings, {{to}} is the test destination (--to), {{ref}} a reference
  unique to the scenario, {{message_id}} the id of the last accepted message
  and {{now+30d}} a time 30 days ahead (RFC 3339).

  Background:
    Given valid credentials

  Scenario Outline: The spec's "<example>" request example is accepted
    When I send the spec's "<example>" request example
    Then the response status is 202
    And the response field "message_id" is a UUID
    And the response field "status" is "accepted"

    Examples: every example of the POST /messages request body in the spec
      | example         |
      | text            |
      | template        |
      | template-params |
      | media-image     |
      | media-document  |

  Scenario Outline: A template message <params> is accepted
    When I send a message:
      """json
      {"destination": "{{to}}", "type": "template", "reference": "{{ref}}",
       "template": <template>}
      """
    Then the response status is 202
    And the response field "message_id" is a UUID

    Examples:
      | params             | template                                                                                      |
      | without parameters | {"name": "hello_world", "language": "en_US"}                                                  |
      | with parameters    | {"name": "sample_flight_confirmation", "language": "en_US", "body_params": ["Home", "Away", "December 23rd"]} |

  Scenario Outline: A media message of type <type> is accepted
    When I send a message:
      """json
      {"destination": "{{to}}", "type": "media", "reference": "{{ref}}",
       "media": {"type": "<type>", "url": "<url>"}}
      """
    Then the response status is 202
    And the response field "message_id" is a UUID
    And the response field "status" is "accepted"

    Examples:
      | type     | url                                                                      |
      | image    | https://static.whatsapp.net/rsrc.php/v3/y7/r/DSxOAUB0raA.png             |
      | document | https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf |
      | audio    | https://example.com/wabcheck/sample.mp3                                  |
      | video    | https://example.com/wabcheck/sample.mp4                                  |

  Scenario: A sent message reads back with the details that were sent
    When I send a message:
      """json
      {"destination": "{{to}}", "type": "text", "reference": "{{ref}}",
       "text": {"body": "wabcheck read-back {{ref}}"}}
      """
    Then the response status is 202
    When I get the message by its id
    Then the response status is 200
    And the response field "id" is "{{message_id}}"
    And the response field "reference" is "{{ref}}"
    And the response field "type" is "text"
    And the response field "direction" is "MT"
    And the response field "status" is a DLR status
    And the response field "attributes.body" is "wabcheck read-back {{ref}}"

  Scenario: A message can be marked as read
    When I send a text message
    Then the response status is 202
    When I mark the message as read
    Then the response status is 200

  Scenario: The reference round-trips into the delivery receipts
    When I send a text message
    Then the response status is 202
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message carries its id and reference

  Scenario: A message scheduled 30 days ahead is accepted
    When I send a message:
      """json
      {"destination": "{{to}}", "type": "text", "reference": "{{ref}}",
       "scheduled": "{{now+30d}}", "text": {"body": "wabcheck scheduled"}}
      """
    Then the response status is 202
    And the response field "message_id" is a UUID
