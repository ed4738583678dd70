package specdiff

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/wabcheck/wabcheck/spec"
)

// Direction says which way the data at a change flows.
type Direction string

// Directions. Callbacks and webhooks flip them: their request bodies are
// data the API sends, their responses data the client sends.
const (
	// Request is data the client sends to the API.
	Request Direction = "request"
	// Response is data the API sends to the client.
	Response Direction = "response"
	// Neither is for changes outside any operation's data (info, servers,
	// unused component schemas).
	Neither Direction = ""
)

// Input is one side of a comparison.
type Input struct {
	// Name is the file name used in locations and messages.
	Name string
	// Data is the spec as read (YAML or JSON).
	Data []byte
}

// Change is one classified difference between the two specs.
type Change struct {
	// Code is a stable kebab-case identifier of the rule that matched.
	Code string `json:"code"`
	// Breaking says whether the change can break an existing client.
	Breaking bool `json:"breaking"`
	// Direction is the data flow the rule was applied for.
	Direction Direction `json:"direction,omitempty"`
	// Path is the dotted logical path ("paths./messages.post.requestBody...").
	Path string `json:"path"`
	// Segments is Path split into its keys, unambiguous for machines.
	Segments []string `json:"segments"`
	// Pointer is the JSON pointer (RFC 6901) of the changed item in the
	// file, after following $refs: in NEW, or in OLD for a removed item.
	Pointer string `json:"pointer"`
	// Old and New locate the change in each file; where the changed item
	// exists on one side only, the other side names its nearest parent.
	Old spec.Location `json:"old"`
	New spec.Location `json:"new"`
	// Operations lists the operations a component-schema change affects.
	Operations []string `json:"operations,omitempty"`
	// Before and After are the changed values, when libopenapi gives them.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Message is a one-line description.
	Message string `json:"message"`
}

// String formats the change on one line.
func (c Change) String() string {
	b := "non-breaking"
	if c.Breaking {
		b = "BREAKING"
	}
	return fmt.Sprintf("%s %s %s: %s (old %s, new %s)", b, c.Code, c.Path, c.Message, c.Old, c.New)
}

// Summary counts the changes of a report.
type Summary struct {
	Total       int            `json:"total"`
	Breaking    int            `json:"breaking"`
	NonBreaking int            `json:"nonBreaking"`
	Codes       map[string]int `json:"codes"`
}

// Report is the result of a comparison.
type Report struct {
	Old      string   `json:"old"`
	New      string   `json:"new"`
	Summary  Summary  `json:"summary"`
	Changes  []Change `json:"changes"`
	Warnings []string `json:"warnings,omitempty"`
}

// Diff compares oldIn and newIn. Its errors name the file and say why it
// cannot be compared (not YAML, not OpenAPI 3.x, model build failure).
func Diff(oldIn, newIn Input) (*Report, error) {
	for _, in := range []Input{oldIn, newIn} {
		if err := spec.CheckOpenAPI(in.Name, in.Data); err != nil {
			return nil, err
		}
	}
	oldDoc, err := newDocument(oldIn)
	if err != nil {
		return nil, err
	}
	newDoc, err := newDocument(newIn)
	if err != nil {
		return nil, err
	}
	changes, cerr := libopenapi.CompareDocuments(oldDoc, newDoc)
	if changes == nil && cerr != nil {
		return nil, fmt.Errorf("compare %s with %s: %w", oldIn.Name, newIn.Name, cerr)
	}
	w := newWalker(oldIn, newIn)
	if changes != nil {
		w.document(changes)
	}
	r := &Report{Old: oldIn.Name, New: newIn.Name, Changes: finish(w.out)}
	r.Summary = summarize(r.Changes)
	if cerr != nil {
		r.Warnings = append(r.Warnings, oneLine(cerr.Error()))
	}
	return r, nil
}

func newDocument(in Input) (libopenapi.Document, error) {
	cfg := datamodel.NewDocumentConfiguration()
	cfg.AllowFileReferences = false
	cfg.AllowRemoteReferences = false
	doc, err := libopenapi.NewDocumentWithConfiguration(in.Data, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read as OpenAPI: %s", in.Name, oneLine(err.Error()))
	}
	if _, err := doc.BuildV3Model(); err != nil && !onlyRefWarnings(err) {
		return nil, fmt.Errorf("%s: cannot build the OpenAPI model: %s", in.Name, oneLine(err.Error()))
	}
	return doc, nil
}

// onlyRefWarnings reports whether a model-build error is only about
// references libopenapi could not resolve or found circular; the model is
// still usable then.
func onlyRefWarnings(err error) bool {
	var joined interface{ Unwrap() []error }
	errs := []error{err}
	if errors.As(err, &joined) {
		errs = joined.Unwrap()
	}
	for _, e := range errs {
		s := strings.ToLower(e.Error())
		if !strings.Contains(s, "circular") && !strings.Contains(s, "reference") {
			return false
		}
	}
	return true
}

// finish merges the copies of one change that libopenapi reports under
// every operation sharing a referenced component (a header, a response)
// into one change naming the component and all those operations, then
// sorts: breaking first, then by path and code.
func finish(in []Change) []Change {
	at := map[string]int{}
	out := make([]Change, 0, len(in))
	for _, c := range in {
		key := fmt.Sprint(c.Code, "\x00", c.Breaking, "\x00", c.Pointer, "\x00", c.Before, "\x00", c.After, "\x00", c.Message)
		i, ok := at[key]
		if !ok {
			at[key] = len(out)
			out = append(out, c)
			continue
		}
		out[i] = merge(out[i], c)
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		if a.Breaking != b.Breaking {
			if a.Breaking {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		if c := strings.Compare(a.Before+"\x00"+a.After, b.Before+"\x00"+b.After); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	return out
}

func merge(a, b Change) Change {
	for _, op := range b.Operations {
		if !slices.Contains(a.Operations, op) {
			a.Operations = append(a.Operations, op)
		}
	}
	slices.Sort(a.Operations)
	if a.Path != b.Path && a.Pointer != "" {
		a.Segments = spec.SplitPointer(a.Pointer)
		a.Path = strings.Join(a.Segments, ".")
	}
	return a
}

func summarize(cs []Change) Summary {
	s := Summary{Total: len(cs), Codes: map[string]int{}}
	for _, c := range cs {
		if c.Breaking {
			s.Breaking++
		} else {
			s.NonBreaking++
		}
		s.Codes[c.Code]++
	}
	return s
}

// FailOn is the --fail-on level.
type FailOn string

// Fail-on levels.
const (
	FailOnBreaking FailOn = "breaking"
	FailOnAny      FailOn = "any"
	FailOnNone     FailOn = "none"
)

// ParseFailOn checks a --fail-on value.
func ParseFailOn(s string) (FailOn, error) {
	switch f := FailOn(s); f {
	case FailOnBreaking, FailOnAny, FailOnNone:
		return f, nil
	}
	return "", fmt.Errorf("--fail-on %q: want breaking, any or none", s)
}

// Fails reports whether r meets the fail-on level.
func (r *Report) Fails(level FailOn) bool {
	switch level {
	case FailOnBreaking:
		return r.Summary.Breaking > 0
	case FailOnAny:
		return r.Summary.Total > 0
	}
	return false
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
