@auth @login
Feature: Login and token expiry
  The on-premises client has a login call: POST /v1/users/login with HTTP
  Basic returns a bearer token and when it expires (expires_after, 7 days by
  default). Every other call carries "Authorization: Bearer <token>"; a
  missing, wrong or expired token gets 401 in Meta's error shape. The
  harness logs in on first use and again before the token expires, and
  never prints the token.

  Scenario: A login with the user and password gives a bearer token and its expiry
    Given valid credentials
    When I log in
    Then the response status is 200
    And the login answer gives a token that expires in the future

  Scenario: A login with a wrong password is refused
    Given wrong credentials
    When I log in
    Then the response status is 401
    And the response is an error body

  Scenario: A login without credentials is refused
    Given no credentials
    When I log in
    Then the response status is 401
    And the response is an error body

  @sim-only @serial
  Scenario: A run outlives its login token
    Given valid credentials
    And the simulator option "token-ttl" is "1s"
    And a fresh login
    When I send a text message to "+16315550301"
    Then the message is accepted
    When I wait until the login token has expired
    And I send a text message to "+16315550302"
    Then the message is accepted
    And the harness has logged in again

  @sim-only @serial
  Scenario: An expired token is refused
    Given valid credentials
    And the simulator option "token-ttl" is "1s"
    And a fresh login
    When I wait until the login token has expired
    And I send a text message with the expired token
    Then the response status is 401
    And the response is an error body
