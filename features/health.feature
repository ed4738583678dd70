@health
Feature: Health
  GET /healthz tells whether the API is up (documented in Modica's rendered
  docs, missing from the published spec file; wabcheck's spec adds it).

  Scenario: The API reports itself healthy
    Given valid credentials
    When I get the health of the API
    Then the response status is 200
