@health
Feature: Health
  A vendor with a health operation tells whether the API is up (Modica's
  GET /healthz, documented in its rendered docs and added by wabcheck's
  errata; the on-premises client's GET /v1/health). Vendors without one skip
  this feature, saying so.

  Scenario: The API reports itself healthy
    Given valid credentials
    When I get the health of the API
    Then the response status is 200
