@inbound
Feature: Inbound messages (YCloud)
  A customer's message to the business number is posted as a
  whatsapp.inbound_message.received event (whatsappInboundMessage in the
  Event envelope, signed like every event) to the endpoints subscribed to
  it; the business marks it read with POST
  /whatsapp/inboundMessages/{id}/markAsRead, which YCloud reports to no one.
  Against the simulator every inbound type the spec has
  (WhatsappInboundMessageType) is injected through /_sim/reply; against a
  real account a person sends one (--assisted).

  Background:
    Given valid credentials

  @sim-only
  Scenario Outline: A customer's <type> message arrives signed and valid, and is marked read
    When a customer replies with a "<type>" message
    Then an inbound message of type "<type>" arrives
    And the inbound message is valid against the callback schema
    When I mark the customer's message as read
    Then the response status is 200

    Examples: every WhatsappInboundMessageType of the spec
      | type            |
      | text            |
      | image           |
      | video           |
      | audio           |
      | document        |
      | sticker         |
      | contacts        |
      | location        |
      | interactive     |
      | button          |
      | reaction        |
      | request_welcome |
      | order           |
      | system          |
      | unsupported     |

  @sim-only
  Scenario: A message the business sent cannot be marked read as an inbound one
    When I send a text message
    Then the message is accepted
    When I mark the message as read
    Then the response status is 404
    And the response is an error body

  @assisted
  Scenario: A message sent from a phone arrives as an inbound event
    When the tester sends a WhatsApp text message to the business number
    Then an inbound message of type "text" arrives
    And the inbound message is valid against the callback schema
    When I mark the customer's message as read
    Then the response status is 200
