package speclint

import (
	"fmt"
	"strings"

	"github.com/wabcheck/wabcheck/spec"
	"gopkg.in/yaml.v3"
)

// annotateErrata marks the findings the overlay fixes. Each action is
// applied alone and the result linted again: a finding that disappears is
// fixed by that action. Findings that only the whole overlay fixes are
// marked as fixed by the errata together.
func annotateErrata(in Input, opts Options, fs []Finding) error {
	full, report, err := spec.ApplyOverlay(in.Path, in.Data, opts.ErrataSource, opts.Errata)
	if err != nil {
		return err
	}
	if len(report.Applied) == 0 {
		return nil
	}
	actions, err := splitOverlay(opts.Errata)
	if err != nil {
		return fmt.Errorf("errata %s: %w", opts.ErrataSource, err)
	}
	for _, a := range actions {
		patched, rep, err := spec.ApplyOverlay(in.Path, in.Data, opts.ErrataSource, a.overlay)
		if err != nil || len(rep.Applied) == 0 {
			continue
		}
		markFixed(patched, fs, "fixed by erratum: "+a.summary)
	}
	markFixed(full, fs, "fixed by the errata together ("+opts.ErrataSource+")")
	return nil
}

// markFixed lints patched and annotates the findings of fs that are gone
// (and not yet annotated) with note.
func markFixed(patched []byte, fs []Finding, note string) {
	after, err := lintBytes("patched", patched)
	if err != nil {
		return
	}
	count := map[string]int{}
	msgs := map[string]bool{}
	for _, f := range after {
		count[f.Code+"\x00"+f.Pointer]++
		msgs[f.Code+"\x00"+f.Pointer+"\x00"+f.Message] = true
	}
	for i := range fs {
		f := &fs[i]
		if f.Errata != "" {
			continue
		}
		k := f.Code + "\x00" + f.Pointer
		if count[k] == 0 || !msgs[k+"\x00"+f.Message] && countOf(fs, k) > count[k] {
			f.Errata = note
		}
	}
}

func countOf(fs []Finding, key string) int {
	n := 0
	for _, f := range fs {
		if f.Code+"\x00"+f.Pointer == key {
			n++
		}
	}
	return n
}

type singleAction struct {
	overlay []byte
	summary string
}

// splitOverlay turns an overlay into one overlay per action.
func splitOverlay(data []byte) ([]singleAction, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not YAML: %w", err)
	}
	root := deref(&doc)
	k, acts := getKV(root, "actions")
	if k == nil || acts.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("no `actions` list")
	}
	var out []singleAction
	for i, a := range acts.Content {
		one := *root
		one.Content = nil
		for j := 0; j+1 < len(root.Content); j += 2 {
			v := root.Content[j+1]
			if root.Content[j].Value == "actions" {
				v = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{a}}
			}
			one.Content = append(one.Content, root.Content[j], v)
		}
		b, err := yaml.Marshal(&one)
		if err != nil {
			return nil, fmt.Errorf("action %d: %w", i, err)
		}
		sum := summarize(str(a, "description"))
		if sum == "" {
			sum = str(a, "target")
		}
		out = append(out, singleAction{overlay: b, summary: sum})
	}
	return out, nil
}

// summarize shortens an erratum description to its first sentence (after
// a leading "E1."-style label).
func summarize(desc string) string {
	desc = strings.Join(strings.Fields(desc), " ")
	start := 0
	if i := strings.Index(desc, ". "); i >= 0 && i <= 4 {
		start = i + 2
	}
	end := len(desc)
	for i := start; i+1 < len(desc); i++ {
		if desc[i] == '.' && desc[i+1] == ' ' && !strings.HasSuffix(desc[:i], "i.e") && !strings.HasSuffix(desc[:i], "e.g") {
			end = i + 1
			break
		}
	}
	s := desc[:end]
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}
