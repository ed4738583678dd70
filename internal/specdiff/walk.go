package specdiff

import (
	"strings"

	"github.com/pb33f/libopenapi/what-changed/model"
	"github.com/wabcheck/wabcheck/spec"
)

// walker turns libopenapi's change tree into classified Changes.
type walker struct {
	old, new *tree
	use      usages
	out      []Change
}

func newWalker(oldIn, newIn Input) *walker {
	w := &walker{old: newTree(oldIn.Name, oldIn.Data), new: newTree(newIn.Name, newIn.Data), use: usages{}}
	w.use.collect(w.old)
	w.use.collect(w.new)
	return w
}

// scope is where in the document a change sits.
type scope struct {
	segs    []string
	dir     Direction // data flow; Neither outside operations
	op      string    // operation label ("POST /messages"), if any
	flipped bool      // inside a callback or webhook
	schema  string    // component schema name, under components.schemas
}

// at returns a copy of s one or more keys deeper.
func (s scope) at(keys ...string) scope {
	s.segs = append(append([]string(nil), s.segs...), keys...)
	return s
}

// verdict is what a rule decides about one libopenapi change.
type verdict struct {
	code     string
	breaking bool
	msg      string
	extra    []string // keys below the scope naming the changed item
}

// rule classifies one libopenapi change seen at scope s for direction d.
type rule func(w *walker, s scope, d Direction, c *model.Change) verdict

// emit classifies every change in cs with r. Under a component schema that
// operations use, a change is classified once per direction of use.
func (w *walker) emit(s scope, cs []*model.Change, r rule) {
	for _, c := range cs {
		if c == nil {
			continue
		}
		if s.schema == "" || s.dir != Neither {
			w.add(s, s.dir, nil, c, r)
			continue
		}
		u := w.use[s.schema]
		dirs := u.directions()
		if len(dirs) == 0 {
			w.add(s, Neither, nil, c, r)
		}
		for _, d := range dirs {
			w.add(s, d, u.operations(d), c, r)
		}
	}
}

func (w *walker) add(s scope, d Direction, ops []string, c *model.Change, r rule) {
	v := r(w, s, d, c)
	segs := append(append([]string(nil), s.segs...), v.extra...)
	if ops == nil && s.op != "" {
		ops = []string{s.op}
	}
	ch := Change{
		Code: v.code, Breaking: v.breaking, Direction: d,
		Path: strings.Join(segs, "."), Segments: segs, Operations: ops,
		Before: c.Original, After: c.New, Message: v.msg,
	}
	ch.Old, ch.New, ch.Pointer = w.locate(segs, c)
	w.out = append(w.out, ch)
}

// locate finds the change in both files: libopenapi's line and column
// where it has them, else the logical path (refs followed) or its nearest
// existing parent.
// The pointer is the literal JSON pointer of the item in NEW, or in OLD
// when NEW lacks it.
func (w *walker) locate(segs []string, c *model.Change) (o, n spec.Location, pointer string) {
	os, ns := w.old.find(segs), w.new.find(segs)
	o, n, pointer = os.loc, ns.loc, ns.pointer
	if !ns.found && os.found {
		pointer = os.pointer
	}
	if ctx := c.Context; ctx != nil {
		if ctx.OriginalLine != nil && ctx.OriginalColumn != nil {
			o.Line, o.Col = *ctx.OriginalLine, *ctx.OriginalColumn
		}
		if ctx.NewLine != nil && ctx.NewColumn != nil {
			n.Line, n.Col = *ctx.NewLine, *ctx.NewColumn
		}
	}
	return o, n, pointer
}

// changesOf returns the changes a sub-tree reports, nil-safe.
func changesOf(p *model.PropertyChanges) []*model.Change {
	if p == nil {
		return nil
	}
	return p.Changes
}

// changed is the libopenapi interface every change node implements.
type changed interface{ GetAllChanges() []*model.Change }
