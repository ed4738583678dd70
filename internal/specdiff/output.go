package specdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON writes the report as indented JSON with stable field names.
func WriteJSON(w io.Writer, r *Report) error {
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write diff JSON: %w", err)
	}
	return nil
}

// ANSI colours for text output.
const (
	red   = "\x1b[31m"
	green = "\x1b[32m"
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

// WriteText writes the report for people: breaking changes first, each
// with its code, path, message and both locations; color adds ANSI colours.
func WriteText(w io.Writer, r *Report, color bool) error {
	paint := func(c, s string) string {
		if !color {
			return s
		}
		return c + s + reset
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s → %s\n", paint(bold, "spec diff"), r.Old, r.New)
	groups := []struct {
		title    string
		breaking bool
		col      string
	}{{"BREAKING", true, red}, {"non-breaking", false, green}}
	for _, g := range groups {
		n := 0
		for _, c := range r.Changes {
			if c.Breaking != g.breaking {
				continue
			}
			if n == 0 {
				fmt.Fprintf(&b, "\n%s\n", paint(g.col+bold, g.title+" changes:"))
			}
			n++
			writeChange(&b, c, paint(g.col, c.Code))
		}
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(&b, "\nwarning: %s\n", warn)
	}
	fmt.Fprintf(&b, "\n%d changes: %d breaking, %d non-breaking\n", r.Summary.Total, r.Summary.Breaking, r.Summary.NonBreaking)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write diff text: %w", err)
	}
	return nil
}

func writeChange(b *strings.Builder, c Change, code string) {
	fmt.Fprintf(b, "  %s  %s\n", code, c.Message)
	fmt.Fprintf(b, "      at   %s\n", c.Path)
	if len(c.Operations) > 0 {
		fmt.Fprintf(b, "      used %s\n", strings.Join(c.Operations, "; "))
	}
	fmt.Fprintf(b, "      old  %s\n      new  %s\n", c.Old, c.New)
}
