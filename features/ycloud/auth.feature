@auth
Feature: Authentication on every operation (YCloud)
  Every YCloud operation needs the X-API-Key header; without it, or with a
  wrong key, YCloud answers 401 with its error body, code UNAUTHORIZED
  (YCloud, "Authentication"). Checked here for every operation the suite
  drives (the feature at the root checks a send).

  Scenario Outline: <operation> without credentials is answered 401
    Given no credentials
    When I make a "<operation>" request
    Then the response status is 401
    And the response is an error body
    And the response field "error.code" is "UNAUTHORIZED"

    Examples: the WhatsApp and webhook endpoint operations
      | operation                                      |
      | POST /whatsapp/messages                        |
      | POST /whatsapp/messages/sendDirectly           |
      | GET /whatsapp/messages/{id}                    |
      | POST /whatsapp/inboundMessages/{id}/markAsRead |
      | POST /webhookEndpoints                         |
      | GET /webhookEndpoints                          |
      | GET /webhookEndpoints/{id}                     |
      | PATCH /webhookEndpoints/{id}                   |
      | DELETE /webhookEndpoints/{id}                  |
      | POST /webhookEndpoints/{id}/rotateSecret       |

  Scenario: A wrong API key is answered 401 on a webhook operation too
    Given wrong credentials
    When I make a "GET /webhookEndpoints" request
    Then the response status is 401
    And the response is an error body
