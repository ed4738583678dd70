package steps

import (
	"io"
	"testing"

	"github.com/cucumber/godog"
)

// Regression (conform's CPU after the redesign): every scenario compiled
// every step pattern again. The scenarios of one run register the same
// compiled patterns: each pattern compiles once.
func TestStepPatternsCompileOncePerRun(t *testing.T) {
	env := &Env{}
	inits := 0
	suite := godog.TestSuite{
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			inits++
			s := New(env)
			s.RegisterSteps(sc)
		},
		Options: &godog.Options{Format: "progress", Output: io.Discard, FeatureContents: []godog.Feature{{Name: "two.feature",
			Contents: []byte("Feature: two\n  Scenario: one\n  Scenario: other\n")}}},
	}
	suite.Run()
	if inits != 2 {
		t.Fatalf("%d scenarios initialised, want 2", inits)
	}
	n := 0
	env.patterns.Range(func(k, v any) bool {
		n++
		if env.pattern(k.(string)) != v {
			t.Errorf("pattern %q compiled again", k)
		}
		return true
	})
	if n < 100 {
		t.Errorf("%d patterns cached, want every step's (about 200)", n)
	}
}
