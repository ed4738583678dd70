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
	sc.Step(`^valid credentials$`, func() { s.cred = credValid })
	sc.Step(`^no credentials$`, func() { s.cred = credNone })
	sc.Step(`^wrong credentials$`, func() { s.cred = credWrong })
	sc.Step(`^the status callback URL carries credentials$`, s.callbackURLCarriesCredentials)
}

func (s *Scenario) registerMessages(sc *godog.ScenarioContext) {
	sc.Step(`^I send the spec's "([^"]*)" request example$`, s.sendExample)
	sc.Step(`^I send a message:$`, s.sendRaw)
	sc.Step(`^I send a text message via "([^"]*)"$`, s.sendTextVia)
	sc.Step(`^I send a template message$`, s.sendTemplate)
	sc.Step(`^I send a media message of type "([^"]*)"$`, s.sendMedia)
	sc.Step(`^I send a text message to a number that is not E\.164$`, s.sendToInvalid)
	sc.Step(`^I retrieve the message$`, s.getMessage)
	sc.Step(`^I retrieve a message nobody sent$`, s.getUnknownMessage)
	sc.Step(`^I mark the customer's message as read$`, s.markReplyRead)
	sc.Step(`^I send a text message$`, s.sendText)
	sc.Step(`^I send a text message to "([^"]*)"$`, s.sendTextTo)
	sc.Step(`^I broadcast a text message to (\d+) test destinations$`, s.broadcastN)
	sc.Step(`^I broadcast a text message to these destinations:$`, s.broadcastTable)
	sc.Step(`^I get the message by its id$`, s.getMessage)
	sc.Step(`^I mark the message as read$`, s.markRead)
	sc.Step(`^I get the health of the API$`, s.getHealth)
	sc.Step(`^I (GET|POST|PATCH|PUT|DELETE) "([^"]*)"$`, s.plainRequest)
	sc.Step(`^I (POST|PATCH|PUT) "([^"]*)" with body:$`, s.jsonRequest)
	sc.Step(`^I (POST|PATCH|PUT) "([^"]*)" with content type "([^"]*)" and body:$`, s.typedRequest)
}

func (s *Scenario) registerResponse(sc *godog.ScenarioContext) {
	sc.Step(`^the response status is (\d{3})$`, s.statusIs)
	sc.Step(`^the response status is a client error \(4XX\)$`, s.statusClientError)
	sc.Step(`^the response is an error body$`, s.isErrorBody)
	sc.Step(`^the response status is a success \(2XX\)$`, s.statusSuccess)
	sc.Step(`^the message is accepted$`, s.messageAccepted)
	sc.Step(`^the message is refused, at send or by a failure status$`, s.refusedAtSendOrLater)
	sc.Step(`^the retrieved message has the id, recipient and text that were sent$`, s.retrievedMatches)
	sc.Step(`^there is one result per destination, each with its own message id$`, s.oneResultPerDestinationID)
	sc.Step(`^the response field "([^"]*)" is a UUID$`, s.fieldUUID)
	sc.Step(`^the response field "([^"]*)" is a media id$`, s.fieldMediaID)
	sc.Step(`^the response field "([^"]*)" is a DLR status$`, s.fieldDLRStatus)
	sc.Step(`^the response field "([^"]*)" is "([^"]*)"$`, s.fieldEquals)
	sc.Step(`^the response header "([^"]*)" is an integer between (\d+) and (\d+)$`, s.headerIntBetween)
	sc.Step(`^there is one result per destination, each with its own UUID id$`, s.oneResultPerDestination)
	sc.Step(`^every result has status "([^"]*)"$`, s.everyResultStatus)
	sc.Step(`^the result for "([^"]*)" has status "([^"]*)"$`, s.resultFor)
}

func (s *Scenario) registerCallbacks(sc *godog.ScenarioContext) {
	sc.Step(`^delivery receipts arrive until the message reaches a final status$`, s.untilFinal)
	sc.Step(`^delivery receipts arrive for every accepted message until each reaches a final status$`, s.everyUntilFinal)
	sc.Step(`^the message reaches status "([^"]*)"$`, s.reachesStatus)
	sc.Step(`^every delivery receipt of the message is valid against the callback schema$`, s.receiptsValid)
	sc.Step(`^every delivery receipt of the message carries its id and reference$`, s.receiptsCarryIDRef)
	sc.Step(`^the delivery receipts of the message follow a legal order with no duplicates$`, s.receiptsLegal)
	sc.Step(`^every delivery receipt of the message was sent with the callback URL's credentials$`, s.receiptsAuthenticated)
	sc.Step(`^no callbacks arrived for unknown message ids$`, s.noUnknownCallbacks)
	sc.Step(`^a customer replies with a "([^"]*)" message$`, s.injectReply)
	sc.Step(`^the tester sends a WhatsApp text message to the business number$`, s.askForReply)
	sc.Step(`^a reply callback of type "([^"]*)" arrives$`, s.replyArrives)
	sc.Step(`^an inbound message of type "([^"]*)" arrives$`, s.replyArrives)
	sc.Step(`^the inbound message is valid against the callback schema$`, s.replyValid)
	sc.Step(`^the reply callback is valid against the callback schema$`, s.replyValid)
}

func (s *Scenario) registerMedia(sc *godog.ScenarioContext) {
	sc.Step(`^I upload a "([^"]*)" file$`, s.uploadFile)
	sc.Step(`^I upload a "([^"]*)" file of (\d+) bytes$`, s.uploadFileOfSize)
	sc.Step(`^I download the uploaded media$`, s.downloadUploaded)
	sc.Step(`^I download media "([^"]*)"$`, s.downloadMedia)
	sc.Step(`^the downloaded bytes are the uploaded bytes$`, s.sameBytes)
	sc.Step(`^the upload is accepted with a media id$`, s.uploadAccepted)
}

func (s *Scenario) registerRateLimit(sc *godog.ScenarioContext) {
	sc.Step(`^I send three times the advertised limit of requests at once$`, s.burstPastLimit)
	sc.Step(`^some responses have status 429$`, s.some429)
	sc.Step(`^every 429 response has a "([^"]*)" header between (\d+) and (\d+)$`, s.every429Header)
	sc.Step(`^every 429 response is an error body$`, s.every429ErrorBody)
	sc.Step(`^no response has a 5XX status$`, s.no5XX)
	sc.Step(`^I wait as long as the first Retry-After says$`, s.waitRetryAfter)
	sc.Step(`^the response advertises the rate limit$`, s.everyResponseAdvertisesLimit)
	sc.Step(`^every 429 response has a Retry-After within the vendor's bounds$`, s.every429RetryAfterInBounds)
}

func (s *Scenario) registerSim(sc *godog.ScenarioContext) {
	sc.Step(`^the simulator answers every request with 500$`, s.failEveryRequest)
	sc.Step(`^the simulator's rate limit is (\d+) requests? per second$`, s.lowerRateLimit)
	sc.Step(`^I make a "(GET|POST|PATCH|PUT|DELETE) (/[^"]*)" request$`, s.operationRequest)
	sc.Step(`^I make (\d+) "(GET|POST|PATCH|PUT|DELETE) (/[^"]*)" requests in a row$`, s.requestsInARow)
}
