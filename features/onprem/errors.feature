@errors @messages
Feature: Meta's error codes and message fates
  Errors are {meta, errors: [{code, title, details}]} with Meta's codes.
  A send the client takes may still fail: its failed status carries
  errors[] saying why. The simulator's magic numbers select each fate.

  Background:
    Given valid credentials

  Scenario: A message to a number that cannot be a WhatsApp user is refused by a failed status with 131026
    When I send a text message to a number that is not E.164
    Then the message is refused, at send or by a failure status

  @sim-only
  Scenario Outline: The <path> path ends in status "<final>"
    When I send a text message to "<number>"
    Then the message is accepted
    And the message reaches status "<final>"
    And every delivery receipt of the message is valid against the callback schema
    And the delivery receipts of the message follow a legal order with no duplicates

    Examples: the simulator's magic numbers
      | path       | number       | final     |
      | read       | +16315550001 | read      |
      | warning    | +16315550004 | delivered |
      | processing | +16315550008 | delivered |

  @sim-only
  Scenario Outline: The <path> path fails with error <code>
    When I send a text message to "<number>"
    Then the message is accepted
    And the message reaches status "failed"
    And the failure status of the message names code "<code>"
    And every delivery receipt of the message is valid against the callback schema

    Examples: the simulator's magic numbers
      | path          | number       | code   |
      | undeliverable | +16315550002 | 131026 |
      | window closed | +16315550003 | 131047 |
      | not a user    | +16315550009 | 131026 |

  Scenario: A send without a recipient is refused with a parameter error
    When I POST "/messages" with body:
      """json
      {"type": "text", "text": {"body": "no recipient"}}
      """
    Then the response status is 400
    And the response is an error naming code "1008"

  Scenario: A message id nobody was sent cannot be marked read
    When I PUT "/messages/gBGGEgZHMlEfAgkM1RBkhDRr7t8" with body:
      """json
      {"status": "read"}
      """
    Then the response status is 404
    And the response is an error naming code "1006"
