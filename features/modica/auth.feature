@auth
Feature: Authentication (Modica)
  Every operation needs HTTP Basic credentials. Without them, or with wrong
  ones, the API answers 401 with an error body. Callback URLs may carry
  URL-encoded credentials (user:p%40ss@host); the vendor must send them as
  HTTP Basic authentication when it calls back.

  Scenario: A message lookup with wrong credentials is refused
    Given wrong credentials
    When I GET "/messages?id=3fa85f64-5717-4562-b3fc-2c963f66afa6"
    Then the response status is 401
    And the response is an error body

  Scenario: Credentials in the callback URL are sent with every delivery receipt
    Given valid credentials
    And the status callback URL carries credentials
    When I send a text message
    Then the response status is 202
    And delivery receipts arrive until the message reaches a final status
    And every delivery receipt of the message was sent with the callback URL's credentials

  Scenario Outline: <method> <path> without credentials is refused
    Given no credentials
    When I <method> "<path>"
    Then the response status is 401
    And the response is an error body

    Examples: every operation of the spec
      | method | path                     |
      | GET    | /healthz                 |
      | GET    | /media?media_id=abc123   |
      | POST   | /media                   |
      | PATCH  | /messages                |
      | POST   | /messages/broadcast      |
      | POST   | /source                  |
