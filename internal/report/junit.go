package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// WriteJUnit writes r as JUnit XML: a testsuite per feature, a testcase
// per scenario.
func WriteJUnit(w io.Writer, r *Run) error {
	all := junitSuites{Name: "wabcheck conform", Time: secs(r.Duration)}
	for _, f := range r.Features {
		s := junitSuite{Name: f.Name}
		var total time.Duration
		for _, sc := range f.Scenarios {
			c := junitCase{Name: sc.Name, Classname: f.Name, Time: secs(sc.Duration)}
			total += sc.Duration
			switch sc.Status {
			case Failed, Undefined, Pending:
				step, msg := firstFailure(sc)
				c.Failure = &junitFailure{Message: step, Type: string(sc.Status), Text: msg}
				s.Failures++
			case Skipped:
				c.Skipped = &junitSkipped{Message: sc.Reason}
				s.Skipped++
			}
			s.Tests++
			s.Cases = append(s.Cases, c)
		}
		s.Time = secs(total)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Skipped += s.Skipped
		all.Suites = append(all.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// firstFailure names the first failed (or undefined) step and its error.
func firstFailure(sc *Scenario) (string, string) {
	for _, st := range sc.Steps {
		if st.Status == Failed || st.Status == Undefined || st.Status == Pending {
			msg := st.Error
			if msg == "" {
				msg = "step " + string(st.Status)
			}
			return fmt.Sprintf("%s %s (line %d)", st.Keyword, st.Text, st.Line), msg
		}
	}
	return sc.Name, "scenario " + string(sc.Status)
}
