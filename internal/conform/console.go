package conform

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/wabcheck/wabcheck/internal/redact"
	"github.com/wabcheck/wabcheck/internal/report"
)

// wabcheck's console formats, registered with godog. godog's own
// "progress" and "pretty" end with godog's counts, which disagree with
// wabcheck's: godog has no skipped scenarios (one whose steps after the
// first were skipped, by a step or by a Before hook, counts as passed),
// counts failed steps as failed scenarios, and prints once per phase.
// These print steps as godog's do, scenario statuses by combine (the rule
// of the record), failures with credentials masked, and no counts: Run
// prints the one count line, from the record.
const (
	progressFormat = "wabcheck-progress"
	prettyFormat   = "wabcheck-pretty"
)

func init() {
	godog.Format(progressFormat, "a character per step (wabcheck's counts)", func(_ string, w io.Writer) formatters.Formatter {
		return newConsole(w, false)
	})
	godog.Format(prettyFormat, "each scenario with its steps and status (wabcheck's counts)", func(_ string, w io.Writer) formatters.Formatter {
		return newConsole(w, true)
	})
}

// stepsPerRow is how many progress characters make a line.
const stepsPerRow = 70

// console is a godog formatter for one phase. godog may call it from
// several scenarios at once.
type console struct {
	out    io.Writer
	pretty bool

	mu       sync.Mutex
	ast      map[string]map[string]astNode // feature URI → AST index
	open     map[string]*scenarioLog       // pickle id → what ran so far
	steps    int
	failures []string
}

// scenarioLog is a scenario's step statuses and, for pretty, its lines.
type scenarioLog struct {
	statuses []report.Status
	lines    []string
}

func newConsole(w io.Writer, pretty bool) *console {
	return &console{out: w, pretty: pretty, ast: map[string]map[string]astNode{}, open: map[string]*scenarioLog{}}
}

// TestRunStarted is part of godog's Formatter.
func (c *console) TestRunStarted() {}

// Feature indexes a feature's AST for keywords and lines.
func (c *console) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	if doc == nil || doc.Feature == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ast[uri] = indexAST(doc.Feature)
}

// Pickle starts a scenario.
func (c *console) Pickle(p *messages.Pickle) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.open[p.Id] = &scenarioLog{}
}

// Defined is part of godog's Formatter.
func (c *console) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}

// Passed records a passed step.
func (c *console) Passed(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, s, report.Passed, '.', nil)
}

// Failed records a failed step.
func (c *console) Failed(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition, err error) {
	c.step(p, s, report.Failed, 'F', err)
}

// Skipped records a skipped step.
func (c *console) Skipped(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, s, report.Skipped, '-', nil)
}

// Undefined records a step without a definition.
func (c *console) Undefined(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, s, report.Undefined, 'U', nil)
}

// Pending records a pending step.
func (c *console) Pending(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, s, report.Pending, 'P', nil)
}

// Ambiguous records a step matching several definitions (a failure).
func (c *console) Ambiguous(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition, err error) {
	c.step(p, s, report.Failed, 'A', err)
}

// Summary ends the progress line and lists the failed steps.
func (c *console) Summary() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.pretty && c.steps%stepsPerRow != 0 {
		fmt.Fprintf(c.out, "%s %d\n", strings.Repeat(" ", stepsPerRow-c.steps%stepsPerRow), c.steps)
	}
	if len(c.failures) > 0 {
		fmt.Fprintf(c.out, "\n--- Failed steps:\n\n%s", strings.Join(c.failures, ""))
	}
}

// step records one step's outcome; for pretty, the scenario is printed
// once its last step is in.
func (c *console) step(p *messages.Pickle, s *messages.PickleStep, st report.Status, char byte, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	log := c.open[p.Id]
	if log == nil {
		log = &scenarioLog{}
		c.open[p.Id] = log
	}
	log.statuses = append(log.statuses, st)
	text := c.stepText(p, s)
	var msg string
	if err != nil {
		msg = indent(redact.String(err.Error()), "      ")
		c.failures = append(c.failures, fmt.Sprintf("  Scenario: %s # %s\n    %s\n      Error: %s\n\n", p.Name, c.where(p), text, strings.TrimLeft(msg, " ")))
	}
	if !c.pretty {
		c.progress(char)
	} else {
		log.lines = append(log.lines, fmt.Sprintf("    %-9s %s\n", "["+string(st)+"]", text))
		if msg != "" {
			log.lines = append(log.lines, msg+"\n")
		}
	}
	if len(log.statuses) < len(p.Steps) {
		return
	}
	if c.pretty {
		fmt.Fprintf(c.out, "Scenario: %s  # %s\n%s  → %s\n\n", p.Name, c.where(p), strings.Join(log.lines, ""), combine(log.statuses))
	}
	delete(c.open, p.Id)
}

// progress writes one step's character, and the count every stepsPerRow.
func (c *console) progress(char byte) {
	c.steps++
	fmt.Fprintf(c.out, "%c", char)
	if c.steps%stepsPerRow == 0 {
		fmt.Fprintf(c.out, " %d\n", c.steps)
	}
}

// where is a scenario's file:line.
func (c *console) where(p *messages.Pickle) string {
	if n := len(p.AstNodeIds); n > 0 {
		if node, ok := c.ast[p.Uri][p.AstNodeIds[n-1]]; ok {
			return fmt.Sprintf("%s:%d", p.Uri, node.line)
		}
	}
	return p.Uri
}

// stepText is a step's keyword and text.
func (c *console) stepText(p *messages.Pickle, s *messages.PickleStep) string {
	if len(s.AstNodeIds) > 0 {
		if node, ok := c.ast[p.Uri][s.AstNodeIds[0]]; ok && node.keyword != "" {
			return node.keyword + " " + s.Text
		}
	}
	return s.Text
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// consoleFormat is godog's name of wabcheck's console format f ("" when
// the console is off).
func consoleFormat(f string) string {
	switch f {
	case "progress":
		return progressFormat
	case "pretty":
		return prettyFormat
	}
	return f
}

// printCounts prints the one scenario count line of the console: the
// scenarios the tags selected, by the record's statuses (those the tags
// left out are not counted, as godog does not run them).
func printCounts(w io.Writer, run *report.Run) {
	var c report.Counts
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			if matchTags(run.Tags, s.Tags) {
				c.Total++
				*count(&c, s.Status)++
			}
		}
	}
	var parts []string
	for _, p := range []struct {
		n    int
		name string
	}{{c.Passed, "passed"}, {c.Failed, "failed"}, {c.Skipped, "skipped"}, {c.Undefined, "undefined"}, {c.Pending, "pending"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
		}
	}
	fmt.Fprintf(w, "\n%d scenarios (%s)\n", c.Total, strings.Join(parts, ", "))
}

// count is the field of c that counts status s.
func count(c *report.Counts, s report.Status) *int {
	switch s {
	case report.Passed:
		return &c.Passed
	case report.Failed:
		return &c.Failed
	case report.Undefined:
		return &c.Undefined
	case report.Pending:
		return &c.Pending
	}
	return &c.Skipped
}
