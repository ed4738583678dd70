@callbacks @disorder
Feature: Lawful disorder (YCloud)
  YCloud promises no order and delivers events at least once: the same
  event may come twice, delivered may come before sent, and sent may never
  come. None of that is a defect; wabcheck orders a message's statuses by
  rank and time and de-duplicates by event id, and counts the disorder in
  its reports. This scenario forces the simulator's lawful disorder up
  through /_sim/config (put back afterwards) and shows that the suite's
  checks pass while the receiver saw, and flagged, a duplicate and a
  reversal.

  Background:
    Given valid credentials

  @sim-only @serial
  Scenario: Receipts repeated and reversed for every message are counted, not failed
    Given the simulator's lawful disorder is 1 duplicate, 1 reorder and 0 skip
    When I send a text message
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    And the delivery receipts of the message follow a legal order with no duplicates
    And every delivery receipt of the message is valid against the callback schema
    And every delivery receipt of the message carries its id and reference
    And some delivery receipt of the message is a duplicate
    And some delivery receipt of the message arrived out of order
    And no callbacks arrived for unknown message ids
    When I retrieve the message
    Then the retrieved message's status is not behind its delivery receipts
