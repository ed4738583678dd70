@ratelimit
Feature: Throughput and pair rate limits
  A business number sends about 80 messages per second (error 130429
  beyond, "Rate limit hit"), and about one message every 6 seconds to one
  recipient (error 131056 beyond, "(Business Account, Consumer Account) pair
  rate limit hit"); Meta answers both 400 with its error body. The client
  advertises neither limit in a header and promises no Retry-After. The
  simulator's limits are options; these scenarios lower them to reach them
  with a few sends.

  Background:
    Given valid credentials

  @sim-only @serial
  Scenario: Sends past the throughput are refused with 130429
    Given the simulator option "throughput" is "2"
    When I make 6 "POST /messages" requests in a row
    Then some responses have status 400 naming code "130429"
    And every response with status 400 names code "130429"
    And no response has a 5XX status

  @sim-only @serial
  Scenario: Sends past the pair rate limit are refused with 131056
    Given the simulator option "pair-burst" is "2"
    When I make 4 "POST /messages" requests in a row
    Then some responses have status 400 naming code "131056"
    And every response with status 400 names code "131056"
    And no response has a 5XX status
