package dialect

import "time"

// Session is implemented by an Auth whose credential is a token that a
// login call returns and that expires (the on-premises client's bearer
// token). Steps use it to make and judge the login call and to prove a
// run outlives its token. The token and the password appear only on the
// requests it builds and puts credentials on.
type Session interface {
	Auth
	// LoginRequest is the login call with the run's credentials, or, with
	// wrong set, with well-formed ones the API must refuse.
	LoginRequest(wrong bool) Request
	// ReadLogin reads a login answer: when its token expires (zero when
	// the answer gives no readable expiry); an error when it gives no
	// token.
	ReadLogin(a Answer) (expires time.Time, err error)
	// Expiry is when the token in use expires (zero before the first
	// login).
	Expiry() time.Time
	// Logins counts the logins made so far.
	Logins() int
	// Invalidate drops the token in use: the next Credential logs in
	// again.
	Invalidate()
}

// ErrorCoder is implemented by a dialect whose error answers name error
// codes (Meta's errors[].code): steps check the code a refusal names.
type ErrorCoder interface {
	// ErrorCodes returns the codes an error answer names ("130429"); none
	// when the body is no error body of the vendor's.
	ErrorCodes(a Answer) []string
}
