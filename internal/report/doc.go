// Package report turns the record of a conformance run (Run: features →
// scenarios → steps, every HTTP exchange, every callback, every validation
// finding) into the files a person, a CI system and Cucumber tooling read:
// report.html (one self-contained page), junit.xml, cucumber.json and
// summary.json. It also computes spec coverage: which operations × declared
// status codes × callback kinds a run exercised and validated, and which it
// never saw.
package report
