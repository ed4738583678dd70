@media
Feature: Media upload and download
  A vendor with a media store takes an uploaded file, answers with its id,
  and serves the same bytes back for that id. Vendors without one skip this
  feature, saying so.

  Background:
    Given valid credentials

  Scenario: An uploaded image downloads unchanged
    When I upload a "image/jpeg" file
    Then the upload is accepted with a media id
    When I download the uploaded media
    Then the response status is 200
    And the downloaded bytes are the uploaded bytes
