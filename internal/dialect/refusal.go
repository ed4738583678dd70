package dialect

// LateRefuser is implemented by a dialect whose API lawfully accepts a
// message to a recipient it cannot deliver to (a number that is not
// E.164, or no WhatsApp user) and refuses it afterwards with a failure
// status, instead of refusing the send (Meta's clients: a failed status
// with error 131026). Steps that expect such a send refused then accept
// either a 4XX with an error body or an accepted message whose statuses
// reach a failure; a dialect without it must refuse at send.
type LateRefuser interface {
	// LateRefusal is the error code the failure status carries ("" when
	// the vendor names none) and how the vendor refuses, in a few words
	// for reports ("a failed status with error 131026").
	LateRefusal() (code, how string)
}
