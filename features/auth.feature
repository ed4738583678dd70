@auth
Feature: Authentication
  Every operation needs the vendor's credentials (Modica: HTTP Basic; YCloud:
  the X-API-Key header; the on-premises client: a bearer token from its login
  call). Without them, or with wrong ones, the API answers 401 with an error
  body.

  Scenario: A request without credentials is refused
    Given no credentials
    When I send a text message
    Then the response status is 401
    And the response is an error body

  Scenario: A request with wrong credentials is refused
    Given wrong credentials
    When I send a text message
    Then the response status is 401
    And the response is an error body
