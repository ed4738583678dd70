package onpremseed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Seed is the structure of the rendered page, in page order.
type Seed struct {
	// Title is the first line of the page.
	Title string
	// Link is the documentation link on the second line, without the page
	// chrome that follows it ("↗Query structured spec data ...").
	Link string
	// Servers are the server URLs, in page order.
	Servers []string
	// Paths are the paths in order of first appearance.
	Paths []*Path
	// Schemas are the component schemas in page order.
	Schemas []Schema
}

// Path is one path template and its operations in page order.
type Path struct {
	Template string
	Ops      []*Operation
}

// Operation is one "METHOD /path" block.
type Operation struct {
	// Method is upper case, as on the page.
	Method string
	// Description is the free-text line of the block, if any.
	Description string
	// Params are the rows of the parameter table.
	Params []Param
	// Body is the request body object exactly as the page's JSON, or nil.
	Body *yaml.Node
	// BodyJSON is the page's JSON text of Body.
	BodyJSON string
	// Line is the 1-based line of the "METHOD /path" line.
	Line int
}

// Param is one row of a parameter table: Name, In and Type are the row's
// cells, Required is true for "required", Description is the optional
// fifth cell.
type Param struct {
	Name, In    string
	Required    bool
	Type        string
	Description string
}

// Schema is one named component schema, exactly as the page's JSON.
type Schema struct {
	Name string
	Node *yaml.Node
	// JSON is the page's JSON text of the schema.
	JSON string
	Line int
}

var (
	methodLine = regexp.MustCompile(`^(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) (/\S*)$`)
	serverLine = regexp.MustCompile(`^https?://\S+$`)
	nameLine   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)
	tableHead  = "| Name | In | Required | Type | Description |"
	tableRule  = "|---|---|---|---|---|"
	chromeMark = " ↗"
)

// ParseError names the seed line Parse could not read.
type ParseError struct {
	Line int
	Msg  string
}

// Error formats the error as "seed line N: message".
func (e *ParseError) Error() string { return fmt.Sprintf("seed line %d: %s", e.Line, e.Msg) }

// Parse reads a seed page. Every line must belong to a known part.
func Parse(data []byte) (*Seed, error) {
	p := &parser{src: string(bytes.TrimRight(data, "\n")) + "\n"}
	p.split()
	s := &Seed{}
	if err := p.header(s); err != nil {
		return nil, err
	}
	if err := p.operations(s); err != nil {
		return nil, err
	}
	if err := p.schemas(s); err != nil {
		return nil, err
	}
	return s, nil
}

// parser is a cursor over the seed's lines.
type parser struct {
	src   string
	lines []string
	start []int // byte offset of each line in src
	i     int   // index of the current line
}

func (p *parser) split() {
	off := 0
	for _, l := range strings.SplitAfter(p.src, "\n") {
		if l == "" {
			continue
		}
		p.start = append(p.start, off)
		p.lines = append(p.lines, strings.TrimSuffix(strings.TrimSuffix(l, "\n"), "\r"))
		off += len(l)
	}
}

func (p *parser) done() bool   { return p.i >= len(p.lines) }
func (p *parser) line() string { return p.lines[p.i] }
func (p *parser) errf(format string, args ...any) error {
	return &ParseError{Line: p.i + 1, Msg: fmt.Sprintf(format, args...)}
}

// header reads the title, the chrome line and the server URLs.
func (p *parser) header(s *Seed) error {
	if len(p.lines) < 3 {
		return p.errf("too short for a seed page")
	}
	s.Title = strings.TrimSpace(p.lines[0])
	link, _, ok := strings.Cut(p.lines[1], chromeMark)
	if !ok {
		p.i = 1
		return p.errf("want the documentation link followed by %q", chromeMark)
	}
	s.Link = strings.TrimSpace(link)
	for p.i = 2; !p.done() && serverLine.MatchString(p.line()); p.i++ {
		s.Servers = append(s.Servers, p.line())
	}
	if len(s.Servers) == 0 {
		return p.errf("want server URLs after the title lines")
	}
	return nil
}

// operations reads the operation blocks up to the first schema name.
func (p *parser) operations(s *Seed) error {
	byPath := map[string]*Path{}
	for !p.done() && strings.HasPrefix(p.line(), "/") {
		tmpl := p.line()
		p.i++
		op, err := p.operation(tmpl)
		if err != nil {
			return err
		}
		pa := byPath[tmpl]
		if pa == nil {
			pa = &Path{Template: tmpl}
			byPath[tmpl] = pa
			s.Paths = append(s.Paths, pa)
		}
		for _, o := range pa.Ops {
			if o.Method == op.Method {
				return &ParseError{Line: op.Line, Msg: fmt.Sprintf("%s %s appears twice (first at line %d)", op.Method, tmpl, o.Line)}
			}
		}
		pa.Ops = append(pa.Ops, op)
	}
	if len(s.Paths) == 0 {
		return p.errf("want an operation block (a path line) after the servers")
	}
	return nil
}

// operation reads one block after its path line, up to "METHOD path".
func (p *parser) operation(tmpl string) (*Operation, error) {
	op := &Operation{}
	for !p.done() {
		l := p.line()
		switch m := methodLine.FindStringSubmatch(l); {
		case m != nil:
			if m[2] != tmpl {
				return nil, p.errf("%q closes the block of path %s", l, tmpl)
			}
			op.Method, op.Line = m[1], p.i+1
			p.i++
			return op, nil
		case l == tableHead:
			if err := p.table(op); err != nil {
				return nil, err
			}
			p.i++
		case strings.HasPrefix(l, "{"):
			if op.Body != nil {
				return nil, p.errf("a second request body in the block of %s", tmpl)
			}
			n, raw, err := p.json()
			if err != nil {
				return nil, err
			}
			op.Body, op.BodyJSON = n, raw
		case strings.TrimSpace(l) != "" && op.Description == "" && op.Body == nil && op.Params == nil &&
			!strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "|"):
			op.Description = l
			p.i++
		default:
			return nil, p.errf("unexpected line %q in the block of path %s", l, tmpl)
		}
	}
	return nil, p.errf("the block of path %s has no METHOD line", tmpl)
}

// table reads a parameter table; it leaves the cursor on its last row.
func (p *parser) table(op *Operation) error {
	p.i++
	if p.done() || p.line() != tableRule {
		return p.errf("want the table rule %q", tableRule)
	}
	for p.i+1 < len(p.lines) && strings.HasPrefix(p.lines[p.i+1], "| ") {
		p.i++
		prm, err := parseRow(p.line())
		if err != nil {
			return p.errf("%v", err)
		}
		op.Params = append(op.Params, prm)
	}
	if len(op.Params) == 0 {
		return p.errf("a parameter table with no rows")
	}
	return nil
}

// parseRow reads "| name | in | required|optional | type | [description |]".
func parseRow(row string) (Param, error) {
	cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|"), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	if len(cells) != 4 && len(cells) != 5 {
		return Param{}, fmt.Errorf("parameter row %q: want 4 or 5 cells, got %d", row, len(cells))
	}
	prm := Param{Name: cells[0], In: cells[1], Type: cells[3]}
	switch cells[2] {
	case "required":
		prm.Required = true
	case "optional":
	default:
		return Param{}, fmt.Errorf("parameter row %q: Required is %q, want required or optional", row, cells[2])
	}
	switch prm.In {
	case "path", "query", "header", "cookie":
	default:
		return Param{}, fmt.Errorf("parameter row %q: In is %q", row, prm.In)
	}
	if len(cells) == 5 {
		prm.Description = cells[4]
	}
	if prm.Name == "" || prm.Type == "" {
		return Param{}, fmt.Errorf("parameter row %q: empty name or type", row)
	}
	return prm, nil
}

// schemas reads "Name" lines each followed by a JSON value, to the end.
func (p *parser) schemas(s *Seed) error {
	seen := map[string]int{}
	for !p.done() {
		name, line := p.line(), p.i+1
		if !nameLine.MatchString(name) {
			return p.errf("want a schema name, got %q", name)
		}
		if first, dup := seen[name]; dup {
			return p.errf("schema %s appears twice (first at line %d)", name, first)
		}
		seen[name] = line
		p.i++
		if p.done() || !strings.HasPrefix(p.line(), "{") {
			return p.errf("want the JSON of schema %s", name)
		}
		n, raw, err := p.json()
		if err != nil {
			return err
		}
		s.Schemas = append(s.Schemas, Schema{Name: name, Node: n, JSON: raw, Line: line})
	}
	if len(s.Schemas) == 0 {
		return p.errf("no component schemas")
	}
	return nil
}

// json reads the JSON value that starts on the current line and ends at a
// line end, and moves the cursor to the line after it. It returns the value
// as a node and its text.
func (p *parser) json() (*yaml.Node, string, error) {
	from := p.start[p.i]
	dec := json.NewDecoder(strings.NewReader(p.src[from:]))
	dec.UseNumber()
	n, err := decodeNode(dec)
	if err != nil {
		return nil, "", p.errf("JSON: %v", err)
	}
	end := from + int(dec.InputOffset())
	if end >= len(p.src) || p.src[end] != '\n' {
		return nil, "", p.errf("JSON value does not end at a line end")
	}
	for p.i < len(p.lines) && p.start[p.i] <= end {
		p.i++
	}
	return n, p.src[from:end], nil
}
