@media
Feature: Media upload and download (Modica)
  POST /media uploads a file (multipart/form-data, field "file") of one of the
  MIME types the spec allows and answers with its id; GET /media?media_id=
  downloads the same bytes.

  Background:
    Given valid credentials

  Scenario Outline: A <mime> file uploads and downloads unchanged
    When I upload a "<mime>" file
    Then the response status is 200
    And the response field "id" is a media id
    When I download the uploaded media
    Then the response status is 200
    And the downloaded bytes are the uploaded bytes

    Examples: the MIME types of the spec's RequestMediaPost encoding
      | mime            |
      | image/png       |
      | image/jpeg      |
      | text/plain      |
      | application/pdf |
      | audio/mp4       |
      | video/mp4       |

  Scenario: A file over the 1,000,000 byte limit is refused
    When I upload a "image/png" file of 1000001 bytes
    Then the response status is a client error (4XX)
    And the response is an error body

  Scenario: A file of a type the spec does not allow is refused
    When I upload a "application/zip" file
    Then the response status is a client error (4XX)
    And the response is an error body

  Scenario: A media id that breaks the id pattern is refused
    When I download media "not-a-valid-id!"
    Then the response status is a client error (4XX)
    And the response is an error body

  Scenario: An unknown media id is not found
    When I download media "wabcheckunknown0000000000000001"
    Then the response status is a client error (4XX)
    And the response is an error body
