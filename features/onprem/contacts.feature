@contacts
Feature: Contacts check
  POST /v1/contacts says which numbers are WhatsApp users and gives their
  WhatsApp ids (wa_id). Since v2.39 a send needs no check first, and since
  v2.43 the check calls every number valid; the simulator still tells
  invalid numbers apart, as the spec's status enum does.

  Background:
    Given valid credentials

  Scenario: The test recipient is a valid WhatsApp user
    When I POST "/contacts" with body:
      """json
      {"blocking": "wait", "contacts": ["{{to}}"]}
      """
    Then the response status is 200
    And the response field "contacts.0.input" is "{{to}}"
    And the response field "contacts.0.status" is "valid"

  @sim-only
  Scenario: Numbers that are no WhatsApp users are invalid, and one still in processing says so
    When I POST "/contacts" with body:
      """json
      {"blocking": "wait", "contacts": ["+1 (631) 555-0100", "+16315550009", "0211234567", "+16315550008"]}
      """
    Then the response status is 200
    And the response field "contacts.0.status" is "valid"
    And the response field "contacts.0.wa_id" is "16315550100"
    And the response field "contacts.1.status" is "invalid"
    And the response field "contacts.2.status" is "invalid"
    And the response field "contacts.3.status" is "processing"
