@webhooks
Feature: Webhook endpoints and signed events (YCloud)
  YCloud posts events to webhook endpoints registered through its API
  (POST /webhookEndpoints {url, enabledEvents}); the create answer is the
  only one that carries the endpoint's signing secret (whsec_…). Every event
  is signed: YCloud-Signature: t=<unix seconds>,s=<hex HMAC-SHA256 of
  "<t>.<raw body>" keyed with the secret>. wabcheck registers its receiver
  this way at the start of a run (unless --webhook-secret says the endpoint
  was set up by hand), verifies every event's signature in constant time
  (a timestamp more than 5 minutes off is stale) and deletes the endpoint
  at the end.

  Background:
    Given valid credentials

  Scenario: Events reach the registered receiver signed with the endpoint's secret
    When I send a text message
    Then the message is accepted
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message has a valid signature
    And every delivery receipt of the message is valid against the callback schema

  Scenario: The account's webhook endpoints are listed
    When I GET "/webhookEndpoints"
    Then the response status is 200
    And the response field "offset" is "0"

  @sim-only
  Scenario: A webhook endpoint is created with its secret, read, changed, given a new secret and deleted
    When I POST "/webhookEndpoints" with body:
      """json
      {"url": "http://127.0.0.1:9/wabcheck-{{ref}}", "enabledEvents": ["whatsapp.template.reviewed"], "description": "wabcheck {{ref}}"}
      """
    Then the response status is 200
    And the response field "secret" matches "^whsec_[0-9a-zA-Z]+$"
    And the response field "status" is "active"
    And I keep the response field "id" as "endpoint"
    When I GET "/webhookEndpoints/{{endpoint}}"
    Then the response status is 200
    And the response field "description" is "wabcheck {{ref}}"
    When I PATCH "/webhookEndpoints/{{endpoint}}" with body:
      """json
      {"status": "disabled", "enabledEvents": ["whatsapp.message.updated"]}
      """
    Then the response status is 200
    And the response field "status" is "disabled"
    And the response field "enabledEvents.0" is "whatsapp.message.updated"
    When I PATCH "/webhookEndpoints/{{endpoint}}" with body:
      """json
      {"status": "paused"}
      """
    Then the response status is 400
    And the response is an error body
    And the response field "error.target" is "status"
    When I POST "/webhookEndpoints/{{endpoint}}/rotateSecret"
    Then the response status is 200
    And the response field "secret" matches "^whsec_[0-9a-zA-Z]+$"
    When I DELETE "/webhookEndpoints/{{endpoint}}"
    Then the response status is 200
    When I GET "/webhookEndpoints/{{endpoint}}"
    Then the response status is 404
    And the response is an error body
