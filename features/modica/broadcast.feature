@broadcast
Feature: Broadcast messages (Modica)
  POST /messages/broadcast sends one message to up to 1000 destinations and
  answers with one result per destination, each with its own message id,
  which then gets its own delivery receipts.

  Test destinations are generated from the simulator's ordinary number range
  (+6421100xxxx); against a real target only the 2-destination case runs
  unless @destructive is asked for with --tags.

  Background:
    Given valid credentials

  Scenario Outline: A broadcast to <count> destinations gets one result per destination
    When I broadcast a text message to <count> test destinations
    Then the response status is 202
    And there is one result per destination, each with its own UUID id
    And every result has status "accepted"

    Examples:
      | count |
      | 2     |

    @destructive
    Examples: large broadcasts
      | count |
      | 100   |
      | 1000  |

  @sim-only
  Scenario: A broadcast mixing accepted and refused destinations reports each one
    When I broadcast a text message to these destinations:
      | destination  |
      | +64211000101 |
      | +64210000009 |
      | +64211000102 |
    Then the response status is 202
    And there is one result per destination, each with its own UUID id
    And the result for "+64211000101" has status "accepted"
    And the result for "+64210000009" has status "failed"
    And the result for "+64211000102" has status "accepted"

  Scenario: A broadcast to 1001 destinations is rejected
    When I broadcast a text message to 1001 test destinations
    Then the response status is a client error (4XX)
    And the response is an error body
