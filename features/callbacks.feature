@callbacks
Feature: Delivery receipts and inbound messages
  The vendor posts a status callback each time an accepted message changes
  status, and an inbound callback when a customer writes to the business
  number. Every callback received is checked against the spec's callback
  schemas and, for vendors that sign them, its signature is verified.

  A message's receipts must carry its id (and its reference, where the
  vendor echoes one), follow the vendor's status order, and reach a final
  status within the DLR timeout (--dlr-timeout). Vendors that promise no
  order and deliver at least once (YCloud, Meta) may lawfully repeat and
  reorder receipts: that is counted, not failed. A receipt for a message id
  that was never accepted is a defect for every vendor.

  Background:
    Given valid credentials

  Scenario: Delivery receipts for an accepted message are valid, complete and in order
    When I send a text message
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message is valid against the callback schema
    And every delivery receipt of the message carries its id and reference
    And the delivery receipts of the message follow a legal order with no duplicates
    And no callbacks arrived for unknown message ids

  @sim-only
  Scenario: A customer's text message arrives as an inbound callback
    When a customer replies with a "text" message
    Then an inbound message of type "text" arrives
    And the inbound message is valid against the callback schema
