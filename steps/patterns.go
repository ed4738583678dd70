package steps

import (
	"regexp"

	"github.com/cucumber/godog"
)

// on registers fn for the step pattern expr, compiled once per run:
// godog compiles a pattern given as a string again for every scenario,
// which was a third of a conform run's CPU (about 200 patterns times
// every scenario).
func (s *Scenario) on(sc *godog.ScenarioContext, expr string, fn any) {
	sc.Step(s.env.pattern(expr), fn)
}

// pattern is expr compiled, from the run's cache.
func (e *Env) pattern(expr string) *regexp.Regexp {
	if re, ok := e.patterns.Load(expr); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(expr)
	e.patterns.Store(expr, re)
	return re
}
