@callbacks @webhooks
Feature: Batched webhooks in both formats
  The client posts statuses and inbound messages to the application's one
  webhook URL, several to a POST: {statuses[], messages[], contacts[],
  errors[]}. In the Cloud API format the same objects come in the envelope
  {object: whatsapp_business_account, entry[].changes[].value}, each POST
  signed with X-Hub-Signature-256 (HMAC-SHA256 of the raw body under the
  app secret). The receiver splits every POST into its events, validates
  each against the webhook schema, verifies the signature of every Cloud
  POST, and correlates each status with the message it is for. The client
  promises no order and delivers at least once: repeats and reversals are
  counted, not failed.

  The webhook URL is set through PATCH /v1/settings/application (the
  harness does it with --set-webhook yes, and puts the old URL back at the
  end) or by hand.

  Background:
    Given valid credentials

  @sim-only
  Scenario: Several statuses come in one POST, each split out and validated
    When I send a text message to each of 6 test destinations
    Then delivery receipts arrive for every accepted message until each reaches a final status
    And some delivery receipts of the accepted messages came several to a POST
    And every delivery receipt of every accepted message is valid against the callback schema
    And no callbacks arrived for unknown message ids

  Scenario: Every status names the message's id and its recipient
    When I send a text message
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message carries its id and reference
    And every delivery receipt of the message is valid against the callback schema
    And the delivery receipts of the message follow a legal order with no duplicates

  Scenario: The webhook URL is set through the application settings
    When I register the callback receiver as the vendor's webhook
    Then the response status is 200
    When I send a text message
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status

  @sim-only @serial
  Scenario: A Cloud API webhook signed with another key is caught
    Given the simulator fault "webhook-bad-signature" is on
    When I send a text message to "+16315550305"
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message fails signature verification with "signature-invalid"

  @sim-only @serial
  Scenario: A Cloud API webhook without a signature is caught
    Given the simulator fault "webhook-unsigned" is on
    When I send a text message to "+16315550306"
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message fails signature verification with "signature-missing"
