@broadcast
Feature: Broadcast messages
  A vendor with a broadcast operation sends one message to many recipients
  and answers with one result per recipient, each with its own message id,
  which then gets its own delivery receipts. Vendors without one skip this
  feature, saying so.

  Background:
    Given valid credentials

  Scenario: A broadcast gets one result per destination
    When I broadcast a text message to 2 test destinations
    Then the response status is a success (2XX)
    And there is one result per destination, each with its own message id

  Scenario: Each accepted id of a broadcast gets its own delivery receipts
    When I broadcast a text message to 3 test destinations
    Then the response status is a success (2XX)
    And there is one result per destination, each with its own message id
    And delivery receipts arrive for every accepted message until each reaches a final status
