package report

import (
	"net/http"
	"time"

	"github.com/wabcheck/wabcheck/internal/validate"
)

// Status is the outcome of a scenario or step.
type Status string

// The outcomes. Skipped covers scenarios left out by tags or by an
// interrupted run, and steps after a failed one.
const (
	Passed    Status = "passed"
	Failed    Status = "failed"
	Skipped   Status = "skipped"
	Undefined Status = "undefined"
	Pending   Status = "pending"
)

// MaxBody bounds how much of a request or response body a report keeps.
const MaxBody = 4 << 10

// Run is everything one `wabcheck conform` run did.
type Run struct {
	// Vendor is the dialect's name ("modica").
	Vendor string `json:"vendor"`
	// Target is the base URL checked, credentials redacted; "in-process
	// simulator (…)" for the embedded default.
	Target string `json:"target"`
	// Simulated is true when the target is the in-process simulator.
	Simulated bool `json:"simulated"`
	// Fault names the simulator fault switched on (--fault), if any.
	Fault string `json:"fault,omitempty"`
	// Spec names the spec used; Errata is doc.Errata.Summary().
	Spec   string `json:"spec"`
	Errata string `json:"errata"`
	// Tags is the effective tag expression.
	Tags string `json:"tags"`
	// CallbackURLs are where the vendor sends callbacks, by kind
	// (credentials redacted); Webhook says what was registered through the
	// vendor's API, if anything.
	CallbackURLs map[string]string `json:"callback_urls,omitempty"`
	Webhook      string            `json:"webhook,omitempty"`
	// Started and Duration time the whole run.
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	// Interrupted is true when the run was stopped (Ctrl-C) before the end.
	Interrupted bool `json:"interrupted,omitempty"`
	// Features holds every feature of the suite, in file order.
	Features []*Feature `json:"features"`
	// HarnessErrors are problems of wabcheck's own machinery during the
	// run (a server that stopped serving); any fails the run.
	HarnessErrors []string `json:"harness_errors,omitempty"`
	// UnknownCallbacks are callbacks naming message ids the run never sent
	// (or none), as far as the callback receiver kept them;
	// UnknownCallbacksNotKept counts those it counted beyond its bound.
	UnknownCallbacks        []Callback `json:"unknown_callbacks,omitempty"`
	UnknownCallbacksNotKept int        `json:"unknown_callbacks_not_kept,omitempty"`
	// Universe lists the cells coverage is measured against (see
	// Universe); Coverage is computed from it by Finish.
	Universe []Cell   `json:"-"`
	Coverage Coverage `json:"coverage"`
}

// Feature is one .feature file.
type Feature struct {
	URI         string      `json:"uri"`
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Line        int         `json:"line"`
	Tags        []string    `json:"tags,omitempty"`
	Scenarios   []*Scenario `json:"scenarios"`
}

// Scenario is one pickle: a scenario, or one Examples row of an outline.
type Scenario struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"`
	Line     int           `json:"line"`
	Tags     []string      `json:"tags,omitempty"`
	Status   Status        `json:"status"`
	Reason   string        `json:"reason,omitempty"` // why it was skipped
	Duration time.Duration `json:"duration_ns"`
	Steps    []*Step       `json:"steps"`
	// Exchanges are the HTTP requests the scenario made, in order.
	Exchanges []Exchange `json:"exchanges,omitempty"`
	// Messages are the messages it sent, with their callbacks.
	Messages []Message `json:"messages,omitempty"`
	// Replies are the reply (MO) callbacks it waited for.
	Replies []Callback `json:"replies,omitempty"`
}

// Step is one step of a scenario.
type Step struct {
	Keyword   string        `json:"keyword"`
	Text      string        `json:"text"`
	Line      int           `json:"line"`
	DocString string        `json:"doc_string,omitempty"`
	Table     [][]string    `json:"table,omitempty"`
	Status    Status        `json:"status"`
	Duration  time.Duration `json:"duration_ns"`
	Error     string        `json:"error,omitempty"`
}

// Exchange is one HTTP request and its response; headers are redacted and
// bodies truncated to MaxBody before they are stored.
type Exchange struct {
	Step           int                `json:"step"` // index into Scenario.Steps
	Method         string             `json:"method"`
	URL            string             `json:"url"`
	Operation      string             `json:"operation,omitempty"`
	RequestHeader  http.Header        `json:"request_header,omitempty"`
	RequestBody    string             `json:"request_body,omitempty"`
	Status         int                `json:"status"`
	ResponseHeader http.Header        `json:"response_header,omitempty"`
	ResponseBody   string             `json:"response_body,omitempty"`
	Duration       time.Duration      `json:"duration_ns"`
	Error          string             `json:"error,omitempty"`
	Findings       []validate.Finding `json:"findings,omitempty"`
	// Warnings are findings that do not fail the step: a status of a class
	// (4XX, 5XX) the operation declares nothing for, which the project's
	// spec/DEFECTS.md calls an omission to report, not a violation.
	Warnings []validate.Finding `json:"warnings,omitempty"`
	// Validated is false when the response could not be checked (a
	// transport error).
	Validated bool `json:"validated"`
}

// Message is a message the run sent and the callbacks it got.
type Message struct {
	ID          string     `json:"id"`
	Reference   string     `json:"reference,omitempty"`
	Destination string     `json:"destination,omitempty"`
	SentAt      time.Time  `json:"sent_at"`
	Callbacks   []Callback `json:"callbacks,omitempty"`
	// CallbacksNotKept counts its callbacks the receiver counted beyond
	// its bound per message.
	CallbacksNotKept int `json:"callbacks_not_kept,omitempty"`
}

// Callback is one DLR or MO callback received.
type Callback struct {
	Kind      string             `json:"kind"` // "status" or "reply"
	At        time.Time          `json:"at"`
	After     time.Duration      `json:"after_ns"` // since the message was sent
	MessageID string             `json:"message_id,omitempty"`
	Status    string             `json:"status,omitempty"`
	Body      string             `json:"body,omitempty"`
	Findings  []validate.Finding `json:"findings,omitempty"`
	Duplicate bool               `json:"duplicate,omitempty"`
	Illegal   bool               `json:"illegal,omitempty"`
	Unknown   bool               `json:"unknown,omitempty"`
	// Final is true when the dialect's status model calls Status final
	// (a delivery outcome). Records written before the harness set it
	// leave it false everywhere; `wabcheck report compare` then falls
	// back to the vendor's status model or the last status reached.
	Final bool `json:"final,omitempty"`
}

// Truncate cuts b to MaxBody bytes, saying how much was cut.
func Truncate(b []byte) string {
	if len(b) <= MaxBody {
		return string(b)
	}
	return string(b[:MaxBody]) + "\n… (" + itoa(len(b)-MaxBody) + " more bytes)"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Counts tallies scenarios (or steps) by status.
type Counts struct {
	Total     int `json:"total"`
	Passed    int `json:"passed"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
	Undefined int `json:"undefined,omitempty"`
	Pending   int `json:"pending,omitempty"`
}

func (c *Counts) add(s Status) {
	c.Total++
	switch s {
	case Passed:
		c.Passed++
	case Failed:
		c.Failed++
	case Skipped:
		c.Skipped++
	case Undefined:
		c.Undefined++
	case Pending:
		c.Pending++
	}
}

// ScenarioCounts tallies the run's scenarios.
func (r *Run) ScenarioCounts() Counts {
	var c Counts
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			c.add(s.Status)
		}
	}
	return c
}

// StepCounts tallies the run's steps.
func (r *Run) StepCounts() Counts {
	var c Counts
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			for _, st := range s.Steps {
				c.add(st.Status)
			}
		}
	}
	return c
}

// Passed reports whether no scenario failed (or stayed undefined/pending)
// and the harness ran without trouble.
func (r *Run) Passed() bool {
	c := r.ScenarioCounts()
	return c.Failed == 0 && c.Undefined == 0 && c.Pending == 0 && !r.Interrupted && len(r.HarnessErrors) == 0
}

// ExitCode is 0 when the run passed, 1 otherwise.
func (r *Run) ExitCode() int {
	if r.Passed() {
		return 0
	}
	return 1
}

// FindingsByCode counts every validation finding of the run by code.
func (r *Run) FindingsByCode() map[string]int {
	m := map[string]int{}
	r.eachFinding(func(f validate.Finding) { m[f.Code]++ })
	return m
}

func (r *Run) eachFinding(fn func(validate.Finding)) {
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			for _, x := range s.Exchanges {
				for _, fd := range x.Findings {
					fn(fd)
				}
			}
			for _, m := range s.Messages {
				for _, c := range m.Callbacks {
					for _, fd := range c.Findings {
						fn(fd)
					}
				}
			}
			for _, c := range s.Replies {
				for _, fd := range c.Findings {
					fn(fd)
				}
			}
		}
	}
	for _, c := range r.UnknownCallbacks {
		for _, fd := range c.Findings {
			fn(fd)
		}
	}
}
