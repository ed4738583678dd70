@ratelimit
Feature: Rate limiting
  Every response carries X-RateLimit-Limit (requests per second). A client
  that goes faster gets 429 Too Many Requests with a Retry-After header of
  10 to 1000 seconds and an error body; after waiting that long, requests
  succeed again. Against the simulator, each operation's 429 is provoked by
  lowering its rate limit to 1 request per second through /_sim/config for
  the scenario (put back afterwards).

  Background:
    Given valid credentials

  Scenario: Every response advertises the rate limit
    When I get the health of the API
    Then the response status is 200
    And the response header "X-RateLimit-Limit" is an integer between 0 and 100

  @serial @destructive
  Scenario: A burst past the advertised limit is answered with 429 and Retry-After
    When I send three times the advertised limit of requests at once
    Then some responses have status 429
    And every 429 response has a "Retry-After" header between 10 and 1000
    And every 429 response is an error body
    And no response has a 5XX status

  @sim-only @serial
  Scenario Outline: <operation> past a lowered rate limit is answered with 429 and Retry-After
    Given the simulator's rate limit is 1 request per second
    When I make 3 "<operation>" requests in a row
    Then some responses have status 429
    And every 429 response has a "Retry-After" header between 10 and 1000
    And every 429 response is an error body
    And no response has a 5XX status

    Examples: every operation of the spec (the limit is put back afterwards)
      | operation                |
      | GET /healthz             |
      | POST /messages           |
      | GET /messages            |
      | PATCH /messages          |
      | POST /messages/broadcast |
      | POST /media              |
      | GET /media               |
      | POST /source             |

  @serial @destructive @slow
  Scenario: After waiting as told by Retry-After, requests succeed again
    When I send three times the advertised limit of requests at once
    Then some responses have status 429
    When I wait as long as the first Retry-After says
    And I get the health of the API
    Then the response status is 200
