@media
Feature: Media upload, download and delete
  POST /v1/media takes the file as the body with its type as Content-Type
  and answers {media: [{id}]}; GET /v1/media/{id} gives the same bytes back;
  DELETE /v1/media/{id} removes it. A message may then send the media by
  its id.

  Background:
    Given valid credentials

  Scenario Outline: An uploaded <mime> file downloads as the same bytes
    When I upload a "<mime>" file
    Then the upload is accepted with a media id
    When I download the uploaded media
    Then the response status is 200
    And the downloaded bytes are the uploaded bytes

    Examples:
      | mime            |
      | image/jpeg      |
      | application/pdf |
      | audio/mpeg      |

  Scenario: Deleted media is gone
    When I upload a "image/png" file
    Then the upload is accepted with a media id
    When I DELETE "/media/{{media_id}}"
    Then the response status is 200
    When I download the uploaded media
    Then the response status is 404
