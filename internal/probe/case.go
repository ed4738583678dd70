package probe

// Kind classifies a case by the answer it should get.
type Kind string

// The kinds of case.
const (
	// Positive: the spec allows the request; a declared 2XX is expected.
	Positive Kind = "positive"
	// Negative: the request breaks one rule of the spec; a declared 4XX is
	// expected (never 2XX, never 5XX).
	Negative Kind = "negative"
	// Edge: the spec does not decide (an absent body the spec leaves
	// optional); only "no 5XX" and the response checks apply.
	Edge Kind = "edge"
	// Auth: missing or wrong credentials; 401 or 403 is expected.
	Auth Kind = "auth"
	// Method: a method the path does not declare; 405 is expected.
	Method Kind = "method"
	// Linked: a request built from an earlier answer (stateful link); a
	// 2XX is expected.
	Linked Kind = "linked"
)

// Phases, named after Schemathesis's.
const (
	PhaseExamples = "examples"
	PhaseCoverage = "coverage"
	PhaseFuzzing  = "fuzzing"
	PhaseStateful = "stateful"
)

// Where a case's credentials come from.
const (
	authValid = iota
	authMissing
	authWrong
)

// Case is one request the probe sends and what it expects.
type Case struct {
	// ID is the case's index in the plan (stable for a seed).
	ID int `json:"id"`
	// Operation is the operationId; Method and Path the operation's.
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	// Phase is examples, coverage, fuzzing or stateful.
	Phase string `json:"phase"`
	// Kind says what answer is expected.
	Kind Kind `json:"kind"`
	// Name says in one line what the case does.
	Name string `json:"name"`
	// Rule is the rule a negative case breaks (`maxLength: 255`,
	// `required: type`) or the boundary a positive case sits on; RulePtr
	// is where it sits in the spec (a JSON pointer).
	Rule    string `json:"rule"`
	RulePtr string `json:"rule_ptr,omitempty"`
	// Where is the part of the request the rule concerns: "body
	// /text/body", "query id", "header Content-Type", "credentials".
	Where string `json:"where"`

	op          *operation
	branch      int
	body        any  // the JSON (or multipart object) value
	hasBody     bool // false: send no body
	genFailed   bool // no valid body could be generated: never sent
	raw         []byte
	useRaw      bool   // send raw instead of body
	rawKind     int    // how raw derives from body (rawCut, rawWhole, rawFixed)
	contentType string // "" with hasBody: the media type's
	params      map[string]string
	auth        int
	mut         *mutation
	ecma        bool   // a pattern violation judged in ECMA-262
	noCheck     bool   // the validator cannot judge it
	itemPtr     string // body pointer of a batch item the violation is in
	unlinked    bool   // a link-target field holds a generated value: 404 is honest
	upload      []byte // the file bytes a multipart case uploads
	link        *Link  // the link that built a Linked case
	linkValue   any
	linkFrom    []byte // the upload bytes of the link's source (SameBytes)
}

// mutation is a case's change to a base request: set (or delete) the
// value at a body pointer or a parameter. mixWith >= 0 merges the
// typical value of another oneOf branch into the body instead.
type mutation struct {
	in      string // "body", or a parameter's "query id"
	ptr     string // body pointer
	val     any
	del     bool
	mixWith int
	// count is true when the mutation changes how many items an array
	// has (maxItems + 1): never applied to a real target's recipients.
	count bool
}

// clone copies the case with a deep copy of its body and parameters.
func (c *Case) clone() *Case {
	d := *c
	d.body = clone(c.body)
	d.params = make(map[string]string, len(c.params))
	for k, v := range c.params {
		d.params[k] = v
	}
	return &d
}
