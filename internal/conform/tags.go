package conform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wabcheck/wabcheck/internal/report"
)

// Tag names with a meaning to the runner.
const (
	TagSimOnly     = "@sim-only"
	TagAssisted    = "@assisted"
	TagSlow        = "@slow"
	TagDestructive = "@destructive"
	TagSerial      = "@serial"
)

// effectiveTags combines the user's --tags (godog syntax: "&&" between
// clauses, "," between alternatives, "~" negates) with the exclusions the
// target implies: @sim-only against a real target, @assisted without
// --assisted, @slow unless asked for, @destructive against a real target
// unless asked for.
func effectiveTags(user string, simulated, assisted bool) string {
	var clauses []string
	if u := strings.TrimSpace(user); u != "" {
		clauses = append(clauses, u)
	}
	asked := func(tag string) bool { return strings.Contains(user, tag) }
	if !simulated {
		clauses = append(clauses, "~"+TagSimOnly)
		if !asked(TagDestructive) {
			clauses = append(clauses, "~"+TagDestructive)
		}
	}
	if !assisted {
		clauses = append(clauses, "~"+TagAssisted)
	}
	if !asked(TagSlow) {
		clauses = append(clauses, "~"+TagSlow)
	}
	return strings.Join(clauses, " && ")
}

// and joins two tag expressions.
func and(a, b string) string {
	if a == "" {
		return b
	}
	return a + " && " + b
}

// matchTags evaluates a godog tag expression against a pickle's tags, with
// godog's own semantics (so a scenario the runner reports as excluded is
// exactly one godog did not run).
func matchTags(filter string, tags []string) bool {
	if strings.TrimSpace(filter) == "" {
		return true
	}
	has := map[string]bool{}
	for _, t := range tags {
		has[strings.TrimPrefix(t, "@")] = true
	}
	for _, clause := range strings.Split(filter, "&&") {
		ok := false
		for _, alt := range strings.Split(clause, ",") {
			alt = strings.ReplaceAll(strings.TrimSpace(alt), "@", "")
			if neg, found := strings.CutPrefix(alt, "~"); found {
				ok = ok || !has[neg]
			} else {
				ok = ok || has[alt]
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// checkTags rejects expressions godog would choke on (an empty
// alternative panics inside godog).
func checkTags(filter string) bool {
	if strings.TrimSpace(filter) == "" {
		return true
	}
	for _, clause := range strings.Split(filter, "&&") {
		for _, alt := range strings.Split(clause, ",") {
			a := strings.TrimPrefix(strings.TrimSpace(alt), "~")
			if strings.TrimPrefix(a, "@") == "" || strings.ContainsAny(a, " ()!|") {
				return false
			}
		}
	}
	return true
}

// checkSelection fails when the effective tag expression selects no
// scenario at all: a run that checks nothing must not pass a CI gate.
func checkSelection(user, effective string, index map[string]*report.Scenario) error {
	var known []string
	userMatches := false
	for _, s := range index {
		if matchTags(effective, s.Tags) {
			return nil
		}
		userMatches = userMatches || matchTags(user, s.Tags)
		known = append(known, s.Tags...)
	}
	slices.Sort(known)
	list := strings.Join(slices.Compact(known), " ")
	switch {
	case strings.TrimSpace(user) == "":
		return fmt.Errorf("conform: no scenario to run once %q is applied (known tags: %s)", effective, list)
	case userMatches:
		return fmt.Errorf("--tags %q: no scenario matches once the target's exclusions apply (%q; see --assisted, and @slow/@destructive in --tags)", user, effective)
	}
	return fmt.Errorf("--tags %q: no scenario matches (known tags: %s)", user, list)
}
