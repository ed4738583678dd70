@server-errors @sim-only @serial
Feature: Server errors
  Every operation declares a 500 Internal Server Error answer with an error
  body. The simulator's server-error-burst fault (switched on through
  /_sim/faults for the scenario, put back afterwards) makes every request
  fail, so each operation's 500 is seen and validated against the spec:
  status declared, headers present and valid, body an APIErrorResponse.
  These scenarios change the shared simulator, so they run alone (@serial).

  Background:
    Given valid credentials
    And the simulator answers every request with 500

  Scenario Outline: <operation> answers a server failure with 500 and an error body
    When I make a "<operation>" request
    Then the response status is 500
    And the response is an error body

    Examples: every operation of the spec
      | operation                |
      | GET /healthz             |
      | POST /messages           |
      | GET /messages            |
      | PATCH /messages          |
      | POST /messages/broadcast |
      | POST /media              |
      | GET /media               |
      | POST /source             |
