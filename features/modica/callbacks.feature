@callbacks
Feature: Delivery receipts and replies
  The vendor POSTs a delivery receipt (DLR) to the status callback URL each
  time an accepted message changes status, and a reply (MO) to the reply
  callback URL when a customer writes to the business number. Every callback
  received is checked against the spec's callback schemas.

  A message's receipts must carry its id and reference, follow a legal order
  (accepted → submitted → sent → received → read, where steps may be skipped
  but never reversed, or end in one failure status: rejected, failed, dead,
  expired), arrive once each, and reach a final status within the DLR
  timeout (--dlr-timeout). No callback may name a message id that was never
  accepted.

  Background:
    Given valid credentials

  @sim-only
  Scenario Outline: The <path> path ends in status "<final>"
    When I send a text message to "<number>"
    Then the response status is 202
    And the message reaches status "<final>"
    And the delivery receipts of the message follow a legal order with no duplicates
    And every delivery receipt of the message is valid against the callback schema

    Examples: the simulator's magic destination numbers
      | path     | number       | final    |
      | rejected | +64210000001 | rejected |
      | failed   | +64210000002 | failed   |
      | expired  | +64210000003 | expired  |
      | dead     | +64210000004 | dead     |
      | frozen   | +64210000005 | received |
      | read     | +64210000006 | read     |

  @sim-only
  Scenario Outline: A customer's <type> reply is delivered to the reply callback
    When a customer replies with a "<type>" message
    Then a reply callback of type "<type>" arrives
    And the reply callback is valid against the callback schema

    Examples:
      | type     |
      | text     |
      | image    |
      | audio    |
      | video    |
      | document |
      | sticker  |
      | button   |

    Examples: types added by the errata (Modica's overview lists them)
      | type        |
      | interactive |
      | system      |

  @assisted
  Scenario: A reply sent from a phone is delivered to the reply callback
    When the tester sends a WhatsApp text message to the business number
    Then a reply callback of type "text" arrives
    And the reply callback is valid against the callback schema
