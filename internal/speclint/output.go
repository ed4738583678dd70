package speclint

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteJSON writes the report as indented JSON (stable field names).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	return enc.Encode(r)
}

// TextOptions tune WriteText.
type TextOptions struct {
	// GroupBy is "severity" (default) or "code".
	GroupBy string
	// Color adds ANSI colours (only for terminals).
	Color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// WriteText writes the report for people: findings grouped by severity or
// by code, then a summary line.
func (r *Report) WriteText(w io.Writer, o TextOptions) error {
	c := func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\nerrata: %s\n", c(ansiBold, "spec lint:"), r.Spec, r.Errata)
	for _, g := range r.groups(o.GroupBy) {
		fmt.Fprintf(&b, "\n%s (%d)\n", c(ansiBold+sevColor(g.sev), g.title), len(g.items))
		for _, f := range g.items {
			fmt.Fprintf(&b, "  %s %s %s %s\n", c(ansiDim, f.Location.String()), c(sevColor(f.Severity), string(f.Severity)), c(ansiBold, "["+f.Code+"]"), f.Message)
			fmt.Fprintf(&b, "      %s\n", c(ansiDim, "at "+f.Pointer))
			if f.Errata != "" {
				fmt.Fprintf(&b, "      %s\n", c(ansiCyan, f.Errata))
			}
		}
	}
	s := r.Summary
	fmt.Fprintf(&b, "\n%d errors, %d warnings, %d info", s.Errors, s.Warnings, s.Infos)
	if s.FixedByErrata > 0 {
		fmt.Fprintf(&b, " (%d fixed by errata)", s.FixedByErrata)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func sevColor(s Severity) string {
	switch s {
	case Error:
		return ansiRed
	case Warning:
		return ansiYellow
	case Info:
		return ansiCyan
	}
	return ""
}

type group struct {
	title string
	sev   Severity
	items []Finding
}

func (r *Report) groups(by string) []group {
	idx := map[string]int{}
	var gs []group
	for _, f := range r.Findings {
		key, title := string(f.Severity), strings.ToUpper(string(f.Severity))+"S"
		if by == "code" {
			key, title = f.Code, f.Code+" ("+string(f.Severity)+")"
		}
		i, ok := idx[key]
		if !ok {
			i = len(gs)
			idx[key] = i
			gs = append(gs, group{title: title, sev: f.Severity})
		}
		gs[i].items = append(gs[i].items, f)
	}
	sort.SliceStable(gs, func(i, j int) bool {
		if gs[i].sev.rank() != gs[j].sev.rank() {
			return gs[i].sev.rank() < gs[j].sev.rank()
		}
		return by == "code" && gs[i].title < gs[j].title
	})
	return gs
}
