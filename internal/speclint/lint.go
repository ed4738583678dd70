package speclint

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Input is a spec to lint.
type Input struct {
	// Path names the file in locations (file:line:col).
	Path string
	// Data holds the spec bytes as published, YAML or JSON.
	Data []byte
}

// Options tune Lint.
type Options struct {
	// Errata is an OpenAPI Overlay document; each finding that one of its
	// actions fixes is annotated with that action's description. Empty:
	// no annotations.
	Errata []byte
	// ErrataSource names the overlay in the report ("none" when Errata is
	// empty).
	ErrataSource string
}

// Lint checks one spec and returns every finding, sorted by place. Its
// error is a configuration error: the input is not a YAML/JSON mapping, or
// the errata overlay cannot be applied.
func Lint(in Input, opts Options) (*Report, error) {
	fs, err := lintBytes(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	r := &Report{Spec: in.Path, Errata: "none", Findings: fs}
	if len(opts.Errata) > 0 {
		r.Errata = opts.ErrataSource
		if err := annotateErrata(in, opts, r.Findings); err != nil {
			return nil, err
		}
	}
	r.summarize()
	return r, nil
}

// lintBytes parses data and runs every rule.
func lintBytes(path string, data []byte) ([]Finding, error) {
	var docNode yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&docNode); err != nil {
		return nil, fmt.Errorf("%s: not valid YAML or JSON: %s", path, strings.Join(strings.Fields(err.Error()), " "))
	}
	root := deref(&docNode)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not an OpenAPI document: the top level is not a mapping", path)
	}
	l := newLinter(path, root)
	l.run()
	sortFindings(l.out)
	return l.out, nil
}

// linter holds the state of one lint run.
type linter struct {
	file string
	root *yaml.Node
	v31  bool
	out  []Finding
	seen map[string]bool
	// refs counts every local $ref target in the document.
	refs map[string]int
	// visited marks schema, response, ... definitions already checked.
	visited map[string]bool
	pats    *patternCache
	cons    consistency
	ops     opIndex
	// openErr maps open error schemas to the status codes using them.
	openErr      map[string][]string
	openErrOrder []string
}

func newLinter(path string, root *yaml.Node) *linter {
	return &linter{
		file:    path,
		root:    root,
		v31:     strings.HasPrefix(str(root, "openapi"), "3.1"),
		seen:    map[string]bool{},
		refs:    map[string]int{},
		visited: map[string]bool{},
		pats:    newPatternCache(),
		ops:     newOpIndex(),
	}
}

func (l *linter) run() {
	l.scanRefs(l.root, "")
	l.checkCycles()
	l.checkTop()
	l.walkPaths(get(l.root, "paths"), "/paths")
	each(get(l.root, "webhooks"), func(k string, v *yaml.Node) {
		l.pathItem(v, join("/webhooks", k), "")
	})
	l.walkComponents()
	l.reportOpenErrors()
	l.ops.finish(l)
	l.cons.finish(l)
	l.checkUnusedComponents()
}

// add records a finding once per code, pointer and message.
func (l *linter) add(code string, sev Severity, pointer, related, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	key := code + "\x00" + pointer + "\x00" + msg
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	line, col := locate(l.root, pointer)
	f := Finding{Code: code, Severity: sev, Pointer: pointer, Message: msg, Related: related}
	f.Location.File, f.Location.Line, f.Location.Col = l.file, line, col
	l.out = append(l.out, f)
}

// once reports whether the definition at pointer is visited for the first
// time (and marks it).
func (l *linter) once(kind, pointer string) bool {
	k := kind + pointer
	if l.visited[k] {
		return false
	}
	l.visited[k] = true
	return true
}

// resolve follows local $refs from n (at pointer p) and returns the target
// and its pointer; nil when the ref dangles or is external (those are
// reported by scanRefs).
func (l *linter) resolve(n *yaml.Node, p string) (*yaml.Node, string) {
	for i := 0; i < 16; i++ {
		n = deref(n)
		ref := str(n, "$ref")
		if ref == "" || n.Kind != yaml.MappingNode {
			return n, p
		}
		if !strings.HasPrefix(ref, "#") {
			return nil, ""
		}
		p = strings.TrimPrefix(ref, "#")
		n = lookup(l.root, p)
		if n == nil {
			return nil, ""
		}
	}
	return nil, ""
}

// scanRefs walks every node once (aliases are not followed) and records
// each $ref; dangling local refs are reported here.
func (l *linter) scanRefs(n *yaml.Node, p string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			cp := join(p, k.Value)
			if k.Value == "$ref" && v.Kind == yaml.ScalarNode {
				l.checkRef(v.Value, cp)
				continue
			}
			l.scanRefs(v, cp)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			l.scanRefs(c, join(p, fmt.Sprint(i)))
		}
	}
}

func (l *linter) checkRef(ref, p string) {
	if !strings.HasPrefix(ref, "#") {
		l.add("ref-external", Info, p, "", "$ref %q points outside this file; wabcheck does not follow external refs", ref)
		return
	}
	target := strings.TrimPrefix(ref, "#")
	l.refs[target]++
	if lookup(l.root, target) == nil {
		l.add("ref-missing", Error, p, "", "$ref %q points to nothing in this file", ref)
	}
}
