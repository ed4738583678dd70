@messages
Feature: Send messages (YCloud)
  YCloud has two ways to send: POST /whatsapp/messages enqueues the message
  (answered at once with the WhatsappMessage at status accepted; YCloud hands
  it to WhatsApp later) and POST /whatsapp/messages/sendDirectly submits it
  to WhatsApp synchronously (the answer also carries WhatsApp's id, wamid,
  and a refusal by WhatsApp is a 400 with error.whatsappApiError). Both are
  per sender (from) and are reported by whatsapp.message.updated events; GET
  /whatsapp/messages/{id} reads a message back with its latest status.

  In DocStrings, {{from}} is the business number (--from), {{to}} the test
  recipient (--to) and {{ref}} a reference unique to the scenario.

  Background:
    Given valid credentials

  Scenario: Enqueueing answers the message at status accepted, then events report it
    When I send a text message
    Then the response status is 200
    And the message is accepted
    And the response field "status" is "accepted"
    And the response field "to" is "{{to}}"
    And the response field "externalId" is "{{ref}}"
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message is valid against the callback schema
    And every delivery receipt of the message carries its id and reference

  Scenario: sendDirectly answers the message with WhatsApp's id, then events report it
    When I send a text message via "direct"
    Then the response status is 200
    And the message is accepted
    And the response field "wamid" matches "^wamid\."
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message is valid against the callback schema
    And every delivery receipt of the message carries its id and reference

  @retrieve
  Scenario Outline: A message read back after its receipts has its latest status (<route>)
    When I send a text message via "<via>"
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    When I retrieve the message
    Then the response status is 200
    And the retrieved message has the id, recipient and text that were sent
    And the retrieved message's status is not behind its delivery receipts

    Examples:
      | route        | via    |
      | sendDirectly | direct |

  @retrieve
  Scenario: An enqueued message read back after its receipts has its latest status
    When I send a text message
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    When I retrieve the message
    Then the response status is 200
    And the retrieved message has the id, recipient and text that were sent
    And the retrieved message's status is not behind its delivery receipts

  @retrieve
  Scenario: A message nobody sent is not found
    When I retrieve a message nobody sent
    Then the response status is 404
    And the response is an error body

  @sim-only @retrieve
  Scenario Outline: The magic number <number> (<path>) ends in <final>, and a read-back says so
    When I send a text message to "<number>"
    Then the message is accepted
    And the message reaches status "<final>"
    And every delivery receipt of the message is valid against the callback schema
    And the delivery receipts of the message follow a legal order with no duplicates
    When I retrieve the message
    Then the response status is 200
    And the response field "status" is "<final>"
    And the retrieved message's status is not behind its delivery receipts

    Examples: the simulator's magic recipients (docs/simulator.md, YCloud)
      | path                                        | number       | final  |
      | failed at once, undeliverable               | +16315550001 | failed |
      | sent, then failed (24-hour window closed)   | +16315550002 | failed |
      | sent and nothing more (blocked by the user) | +16315550003 | sent   |
      | delivered, then failed on another device    | +16315550004 | failed |
      | delivered, then read                        | +16315550006 | read   |
      | refused by WhatsApp, enqueued               | +16315550009 | failed |

  @sim-only
  Scenario: sendDirectly to a number WhatsApp refuses is answered 400 with WhatsApp's error
    When I POST "/whatsapp/messages/sendDirectly" with body:
      """json
      {"from": "{{from}}", "to": "+16315550009", "type": "text", "text": {"body": "wabcheck {{ref}}"}}
      """
    Then the response status is 400
    And the response is an error body
    And the response field "error.target" is "to"
    And the response field "error.whatsappApiError.code" is "131009"
