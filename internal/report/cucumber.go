package report

import (
	"encoding/json"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// The Cucumber JSON format (as written by cucumber-jvm and godog's
// "cucumber" formatter), for Cucumber tooling.
type cukeFeature struct {
	URI         string        `json:"uri"`
	ID          string        `json:"id"`
	Keyword     string        `json:"keyword"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Line        int           `json:"line"`
	Tags        []cukeTag     `json:"tags,omitempty"`
	Elements    []cukeElement `json:"elements"`
}

type cukeTag struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

type cukeElement struct {
	ID          string     `json:"id"`
	Keyword     string     `json:"keyword"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Line        int        `json:"line"`
	Type        string     `json:"type"`
	Tags        []cukeTag  `json:"tags,omitempty"`
	Steps       []cukeStep `json:"steps"`
}

type cukeStep struct {
	Keyword   string         `json:"keyword"`
	Name      string         `json:"name"`
	Line      int            `json:"line"`
	DocString *cukeDocString `json:"doc_string,omitempty"`
	Rows      []cukeRow      `json:"rows,omitempty"`
	Result    cukeResult     `json:"result"`
}

type cukeDocString struct {
	Value string `json:"value"`
	Line  int    `json:"line"`
}

type cukeRow struct {
	Cells []string `json:"cells"`
}

type cukeResult struct {
	Status   string `json:"status"`
	Duration int64  `json:"duration,omitempty"`
	Error    string `json:"error_message,omitempty"`
}

var nonID = regexp.MustCompile(`[^a-z0-9]+`)

func cukeID(s string) string {
	return strings.Trim(nonID.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func cukeTags(tags []string, line int) []cukeTag {
	var out []cukeTag
	for _, t := range tags {
		out = append(out, cukeTag{Name: t, Line: line})
	}
	return out
}

// WriteCucumber writes r in the Cucumber JSON format.
func WriteCucumber(w io.Writer, r *Run) error {
	out := []cukeFeature{}
	for _, f := range r.Features {
		cf := cukeFeature{URI: f.URI, ID: cukeID(f.Name), Keyword: "Feature", Name: f.Name, Description: f.Description,
			Line: f.Line, Tags: cukeTags(f.Tags, f.Line), Elements: []cukeElement{}}
		for _, sc := range f.Scenarios {
			el := cukeElement{ID: cf.ID + ";" + cukeID(sc.Name) + ";" + strconv.Itoa(sc.Line), Keyword: "Scenario", Name: sc.Name,
				Line: sc.Line, Type: "scenario", Tags: cukeTags(sc.Tags, sc.Line), Steps: []cukeStep{}}
			for _, st := range sc.Steps {
				cs := cukeStep{Keyword: st.Keyword + " ", Name: st.Text, Line: st.Line,
					Result: cukeResult{Status: string(st.Status), Duration: int64(st.Duration), Error: st.Error}}
				if st.DocString != "" {
					cs.DocString = &cukeDocString{Value: st.DocString, Line: st.Line + 1}
				}
				for _, row := range st.Table {
					cs.Rows = append(cs.Rows, cukeRow{Cells: row})
				}
				el.Steps = append(el.Steps, cs)
			}
			cf.Elements = append(cf.Elements, el)
		}
		out = append(out, cf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
