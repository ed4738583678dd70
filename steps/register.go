package steps

import (
	"github.com/cucumber/godog"
)

// RegisterSteps binds the vocabulary (see the package comment) to sc.
func (s *Scenario) RegisterSteps(sc *godog.ScenarioContext) {
	s.registerSetup(sc)
	s.registerMessages(sc)
	s.registerResponse(sc)
	s.registerCallbacks(sc)
	s.registerMedia(sc)
	s.registerRateLimit(sc)
	s.registerSim(sc)
	s.registerSession(sc)
	s.registerCodes(sc)
	s.registerBatches(sc)
	s.registerWebhookSteps(sc)
	s.registerDelivery(sc)
	sc.After(s.afterScenario)
}

func (s *Scenario) registerSetup(sc *godog.ScenarioContext) {
	s.on(sc, `^valid credentials$`, func() { s.cred = credValid })
	s.on(sc, `^no credentials$`, func() { s.cred = credNone })
	s.on(sc, `^wrong credentials$`, func() { s.cred = credWrong })
	s.on(sc, `^the status callback URL carries credentials$`, s.callbackURLCarriesCredentials)
}

func (s *Scenario) registerMessages(sc *godog.ScenarioContext) {
	s.on(sc, `^I send the spec's "([^"]*)" request example$`, s.sendExample)
	s.on(sc, `^I send a message:$`, s.sendRaw)
	s.on(sc, `^I send a text message via "([^"]*)"$`, s.sendTextVia)
	s.on(sc, `^I send a template message$`, s.sendTemplate)
	s.on(sc, `^I send a media message of type "([^"]*)"$`, s.sendMedia)
	s.on(sc, `^I send a text message to a number that is not E\.164$`, s.sendToInvalid)
	s.on(sc, `^I retrieve the message$`, s.getMessage)
	s.on(sc, `^I retrieve a message nobody sent$`, s.getUnknownMessage)
	s.on(sc, `^I mark the customer's message as read$`, s.markReplyRead)
	s.on(sc, `^I send a text message$`, s.sendText)
	s.on(sc, `^I send a text message to "([^"]*)"$`, s.sendTextTo)
	s.on(sc, `^I broadcast a text message to (\d+) test destinations$`, s.broadcastN)
	s.on(sc, `^I broadcast a text message to these destinations:$`, s.broadcastTable)
	s.on(sc, `^I get the message by its id$`, s.getMessage)
	s.on(sc, `^I mark the message as read$`, s.markRead)
	s.on(sc, `^I get the health of the API$`, s.getHealth)
	s.on(sc, `^I (GET|POST|PATCH|PUT|DELETE) "([^"]*)"$`, s.plainRequest)
	s.on(sc, `^I (POST|PATCH|PUT) "([^"]*)" with body:$`, s.jsonRequest)
	s.on(sc, `^I (POST|PATCH|PUT) "([^"]*)" with content type "([^"]*)" and body:$`, s.typedRequest)
}

func (s *Scenario) registerResponse(sc *godog.ScenarioContext) {
	s.on(sc, `^the response status is (\d{3})$`, s.statusIs)
	s.on(sc, `^the response status is a client error \(4XX\)$`, s.statusClientError)
	s.on(sc, `^the response is an error body$`, s.isErrorBody)
	s.on(sc, `^the response status is a success \(2XX\)$`, s.statusSuccess)
	s.on(sc, `^the message is accepted$`, s.messageAccepted)
	s.on(sc, `^the message is refused, at send or by a failure status$`, s.refusedAtSendOrLater)
	s.on(sc, `^the retrieved message has the id, recipient and text that were sent$`, s.retrievedMatches)
	s.on(sc, `^there is one result per destination, each with its own message id$`, s.oneResultPerDestinationID)
	s.on(sc, `^the response field "([^"]*)" is a UUID$`, s.fieldUUID)
	s.on(sc, `^the response field "([^"]*)" is a media id$`, s.fieldMediaID)
	s.on(sc, `^the response field "([^"]*)" is a DLR status$`, s.fieldDLRStatus)
	s.on(sc, `^the response field "([^"]*)" is "([^"]*)"$`, s.fieldEquals)
	s.on(sc, `^the response header "([^"]*)" is an integer between (\d+) and (\d+)$`, s.headerIntBetween)
	s.on(sc, `^there is one result per destination, each with its own UUID id$`, s.oneResultPerDestination)
	s.on(sc, `^every result has status "([^"]*)"$`, s.everyResultStatus)
	s.on(sc, `^the result for "([^"]*)" has status "([^"]*)"$`, s.resultFor)
}

func (s *Scenario) registerCallbacks(sc *godog.ScenarioContext) {
	s.on(sc, `^delivery receipts arrive until the message reaches a final status$`, s.untilFinal)
	s.on(sc, `^delivery receipts arrive for every accepted message until each reaches a final status$`, s.everyUntilFinal)
	s.on(sc, `^the message reaches status "([^"]*)"$`, s.reachesStatus)
	s.on(sc, `^every delivery receipt of the message is valid against the callback schema$`, s.receiptsValid)
	s.on(sc, `^every delivery receipt of the message carries its id and reference$`, s.receiptsCarryIDRef)
	s.on(sc, `^the delivery receipts of the message follow a legal order with no duplicates$`, s.receiptsLegal)
	s.on(sc, `^every delivery receipt of the message was sent with the callback URL's credentials$`, s.receiptsAuthenticated)
	s.on(sc, `^no callbacks arrived for unknown message ids$`, s.noUnknownCallbacks)
	s.on(sc, `^a customer replies with a "([^"]*)" message$`, s.injectReply)
	s.on(sc, `^the tester sends a WhatsApp text message to the business number$`, s.askForReply)
	s.on(sc, `^a reply callback of type "([^"]*)" arrives$`, s.replyArrives)
	s.on(sc, `^an inbound message of type "([^"]*)" arrives$`, s.replyArrives)
	s.on(sc, `^the inbound message is valid against the callback schema$`, s.replyValid)
	s.on(sc, `^the reply callback is valid against the callback schema$`, s.replyValid)
}

func (s *Scenario) registerMedia(sc *godog.ScenarioContext) {
	s.on(sc, `^I upload a "([^"]*)" file$`, s.uploadFile)
	s.on(sc, `^I upload a "([^"]*)" file of (\d+) bytes$`, s.uploadFileOfSize)
	s.on(sc, `^I download the uploaded media$`, s.downloadUploaded)
	s.on(sc, `^I download media "([^"]*)"$`, s.downloadMedia)
	s.on(sc, `^the downloaded bytes are the uploaded bytes$`, s.sameBytes)
	s.on(sc, `^the upload is accepted with a media id$`, s.uploadAccepted)
}

func (s *Scenario) registerRateLimit(sc *godog.ScenarioContext) {
	s.on(sc, `^I send three times the advertised limit of requests at once$`, s.burstPastLimit)
	s.on(sc, `^some responses have status 429$`, s.some429)
	s.on(sc, `^every 429 response has a "([^"]*)" header between (\d+) and (\d+)$`, s.every429Header)
	s.on(sc, `^every 429 response is an error body$`, s.every429ErrorBody)
	s.on(sc, `^no response has a 5XX status$`, s.no5XX)
	s.on(sc, `^I wait as long as the first Retry-After says$`, s.waitRetryAfter)
	s.on(sc, `^the response advertises the rate limit$`, s.everyResponseAdvertisesLimit)
	s.on(sc, `^every 429 response has a Retry-After within the vendor's bounds$`, s.every429RetryAfterInBounds)
}

func (s *Scenario) registerSim(sc *godog.ScenarioContext) {
	s.on(sc, `^the simulator answers every request with 500$`, s.failEveryRequest)
	s.on(sc, `^the simulator's rate limit is (\d+) requests? per second$`, s.lowerRateLimit)
	s.on(sc, `^I make a "(GET|POST|PATCH|PUT|DELETE) (/[^"]*)" request$`, s.operationRequest)
	s.on(sc, `^I make (\d+) "(GET|POST|PATCH|PUT|DELETE) (/[^"]*)" requests in a row$`, s.requestsInARow)
}
