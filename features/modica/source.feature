@source @destructive
Feature: Sources
  POST /source adds a source (a WhatsApp business number of the account).
  It changes the vendor account, so against a real target it runs only when
  the destructive tag is asked for with --tags.

  Background:
    Given valid credentials

  Scenario: A complete source is added
    When I POST "/source" with body:
      """json
      {"business_number_id": "102046588645210", "business_id": "1234567890",
       "omni_customer_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "waba_id": "987654321",
       "gw_application_id": "wabcheck_app", "pin": "123456"}
      """
    Then the response status is 200

  Scenario: A source without its required fields is a client error
    When I POST "/source" with body:
      """json
      {"business_number_id": "102046588645210"}
      """
    Then the response status is a client error (4XX)
    And the response is an error body
