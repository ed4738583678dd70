@ratelimit
Feature: Rate limiting
  Every response carries X-RateLimit-Limit (requests per second). A client
  that goes faster gets 429 Too Many Requests with a Retry-After header of
  10 to 1000 seconds and an error body; after waiting that long, requests
  succeed again.

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

  @serial @destructive @slow
  Scenario: After waiting as told by Retry-After, requests succeed again
    When I send three times the advertised limit of requests at once
    Then some responses have status 429
    When I wait as long as the first Retry-After says
    And I get the health of the API
    Then the response status is 200
