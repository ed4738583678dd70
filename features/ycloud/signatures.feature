@signatures @sim-only @serial
Feature: Signature verification (YCloud)
  The receiver must catch every event whose YCloud-Signature does not hold:
  signed with another secret, not signed at all, or signed with a timestamp
  too old (a replay). Each scenario switches one of the simulator's faults on
  through /_sim/faults (put back afterwards) and checks that every receipt
  of a message carries the finding the defect leaves. The receipts still
  arrive and are recorded; a run against a simulator with the fault on for
  every scenario fails (see the fault matrix). These scenarios change the
  shared simulator, so they run alone (@serial).

  Background:
    Given valid credentials

  Scenario Outline: An event <defect> is caught as <finding>
    Given the simulator's fault "<fault>" is on
    When I send a text message
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message has the finding "<finding>"

    Examples:
      | defect                               | fault             | finding           |
      | signed with another secret           | bad-signature     | signature-invalid |
      | without a signature                  | missing-signature | signature-missing |
      | signed with a 10-minute-old timestamp | stale-signature   | signature-stale   |
