package conform

import (
	"fmt"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/wabcheck/wabcheck/internal/report"
)

// skeleton lists every scenario of the suite, each skipped until it runs,
// and indexes them by pickle id. godog numbers pickles deterministically
// from the same files, so the ids match those of the run.
func skeleton(o Options, tags string) (*report.Run, map[string]*report.Scenario, error) {
	suite := godog.TestSuite{Options: &godog.Options{FS: o.FS, Paths: o.Paths}}
	feats, err := suite.RetrieveFeatures()
	if err != nil {
		return nil, nil, fmt.Errorf("conform: reading the features: %w", err)
	}
	run := &report.Run{Spec: o.Doc.Name, Errata: o.Doc.Errata.Summary(), Tags: tags, Fault: faultNames(o)}
	index := map[string]*report.Scenario{}
	for _, f := range feats {
		doc := f.GherkinDocument
		if doc == nil || doc.Feature == nil {
			continue
		}
		feat := &report.Feature{URI: doc.Uri, Name: doc.Feature.Name, Description: strings.TrimSpace(doc.Feature.Description),
			Line: int(doc.Feature.Location.Line), Tags: tagNames(doc.Feature.Tags)}
		ast := indexAST(doc.Feature)
		for _, p := range f.Pickles {
			s := scenarioOf(p, ast, tags)
			feat.Scenarios = append(feat.Scenarios, s)
			index[p.Id] = s
		}
		run.Features = append(run.Features, feat)
	}
	return run, index, nil
}

// faultNames lists the faults switched on, for the report.
func faultNames(o Options) string {
	var names []string
	for _, f := range o.Faults {
		names = append(names, f.Name)
	}
	return strings.Join(names, ",")
}

// astNode is what a pickle's AST ids point at: a step, a scenario or an
// Examples row.
type astNode struct {
	keyword string
	line    int
}

func indexAST(f *messages.Feature) map[string]astNode {
	idx := map[string]astNode{}
	addSteps := func(steps []*messages.Step) {
		for _, s := range steps {
			idx[s.Id] = astNode{keyword: strings.TrimSpace(s.Keyword), line: int(s.Location.Line)}
		}
	}
	var addChildren func(children []*messages.FeatureChild)
	addChildren = func(children []*messages.FeatureChild) {
		for _, c := range children {
			if c.Background != nil {
				addSteps(c.Background.Steps)
			}
			if sc := c.Scenario; sc != nil {
				idx[sc.Id] = astNode{line: int(sc.Location.Line)}
				addSteps(sc.Steps)
				for _, ex := range sc.Examples {
					for _, row := range ex.TableBody {
						idx[row.Id] = astNode{line: int(row.Location.Line)}
					}
				}
			}
			if c.Rule != nil {
				for _, rc := range c.Rule.Children {
					addChildren([]*messages.FeatureChild{{Background: rc.Background, Scenario: rc.Scenario}})
				}
			}
		}
	}
	addChildren(f.Children)
	return idx
}

func scenarioOf(p *messages.Pickle, ast map[string]astNode, tags string) *report.Scenario {
	s := &report.Scenario{ID: p.Id, Name: p.Name, Status: report.Skipped, Reason: "not run"}
	for _, t := range p.Tags {
		s.Tags = append(s.Tags, t.Name)
	}
	if n := len(p.AstNodeIds); n > 0 {
		s.Line = ast[p.AstNodeIds[n-1]].line
	}
	if !matchTags(tags, s.Tags) {
		s.Reason = "excluded by tags: " + tags
	}
	for _, ps := range p.Steps {
		st := &report.Step{Text: ps.Text, Status: report.Skipped}
		if len(ps.AstNodeIds) > 0 {
			n := ast[ps.AstNodeIds[0]]
			st.Keyword, st.Line = n.keyword, n.line
		}
		if a := ps.Argument; a != nil {
			if a.DocString != nil {
				st.DocString = a.DocString.Content
			}
			if a.DataTable != nil {
				for _, row := range a.DataTable.Rows {
					var cells []string
					for _, c := range row.Cells {
						cells = append(cells, c.Value)
					}
					st.Table = append(st.Table, cells)
				}
			}
		}
		s.Steps = append(s.Steps, st)
	}
	return s
}

func tagNames(tags []*messages.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, t.Name)
	}
	return out
}
