package reindent

import (
	"slices"
	"strings"
)

// placed is a line and the column it is written at.
type placed struct{ ln, col int }

// result is what parsing a value produced: its lines placed, and the index
// of the first line after it.
type result struct {
	out   []placed
	next  int
	obj   *object  // the mapping parsed, when the value is a structured mapping
	items []string // the scalar items, when the value is a sequence
}

// frame is an enclosing mapping or sequence still open while a value is
// parsed; frames decide where block scalars and free-form values end.
type frame struct {
	name string          // the key whose value this is ("-" for a sequence item)
	obj  *object         // a structured mapping (nil for sequences and free maps)
	item *val            // a sequence's items
	col  int             // column of the mapping's keys or of the sequence's dashes
	free bool            // a free-form mapping or sequence
	keys map[string]bool // keys taken so far, for free-form mappings
	up   *frame
}

// parser holds the classified lines and the entries already parsed.
type parser struct {
	lines []line
	memo  map[memoKey]memoVal
	refs  map[string]bool // "schemas/Name" for every '#/components/schemas/Name' referenced
}

// memoKey names one attempt to parse line pos as the next entry or item of
// frame f holding n entries. A probe (is this line yours?) and the parse
// that follows it ask the same question and share the answer, so each
// value is parsed once per place it is tried.
type memoKey struct {
	f      *frame
	pos, n int
	onDash bool
}

type memoVal struct {
	r  result
	ok bool
}

// at returns line i, or an empty line past the end.
func (p *parser) at(i int) line {
	if i < len(p.lines) {
		return p.lines[i]
	}
	return line{}
}

// mapping parses a block mapping of type k starting at line pos, its keys at
// column col. When onDash, its first entry is the rest of a "- " line.
func (p *parser) mapping(k *kind, pos, col int, onDash bool, up *frame) (result, bool) {
	f := &frame{name: p.lines[max(pos-1, 0)].key, obj: newObject(k), col: col, up: up}
	if onDash {
		f.name = "-"
	} else if pos == 0 {
		f.name = ""
	}
	res := result{next: pos, obj: f.obj}
	for res.next < len(p.lines) {
		r, ok := p.entry(f, res.next, onDash && len(f.obj.keys) == 0, true)
		if !ok {
			break
		}
		res.out, res.next = append(res.out, r.out...), r.next
	}
	if len(f.obj.keys) == 0 || (k.done != nil && !k.done(f.obj)) {
		return result{}, false
	}
	return res, true
}

// entry parses one entry of the structured mapping f at line pos and, when
// commit, records it in f; it reports whether f can take the line.
func (p *parser) entry(f *frame, pos int, onDash, commit bool) (result, bool) {
	key := memoKey{f, pos, len(f.obj.keys), onDash}
	m, seen := p.memo[key]
	if !seen {
		m.r, m.ok = p.parseEntry(f, pos, onDash)
		p.memo[key] = m
	}
	if m.ok && commit {
		f.obj.record(p.lines[pos], m.r)
	}
	return m.r, m.ok
}

// parseEntry parses line pos as the next entry of f.
func (p *parser) parseEntry(f *frame, pos int, onDash bool) (result, bool) {
	l := p.lines[pos]
	if !p.keyLine(l, onDash) || f.obj.has(l.key) {
		return result{}, false
	}
	v := f.obj.k.field(l.key)
	if v == nil || !p.fits(f, pos) {
		return result{}, false
	}
	r, ok := p.value(v, pos, f.col, f)
	if !ok {
		return result{}, false
	}
	if k := f.obj.k; k.after != nil && !k.after(f.obj, l.key, r) && p.accepted(pos, f.up, false) {
		return result{}, false
	}
	r.out = append([]placed{p.keyPlace(pos, f.col, onDash)}, r.out...)
	return r, true
}

// fits applies the soft checks: a key they veto is still taken when no
// enclosing frame would take the line (the spec may simply be odd, such as
// `minimum` on a string).
func (p *parser) fits(f *frame, pos int) bool {
	return !p.vetoed(f, pos) || !p.accepted(pos, f.up, false)
}

// vetoed reports whether a soft check says the mapping f should not take
// the entry at line pos:
//   - the object type's own check (a schema's type, $ref siblings; the
//     names a schema's `required` lists, checked once parsed);
//   - in a map of properties: a name the document references as a
//     component ('#/components/schemas/Name'), or a PascalCase name (the
//     spec names components so, and properties in camelCase or
//     snake_case);
//   - in a map of properties: a name an enclosing properties map claims,
//     being a value of the `enum` of its `type` property (WhatsApp objects
//     carry one property per value of their `type`);
//   - a hint (hints.go) for the few places the flat text cannot settle.
func (p *parser) vetoed(f *frame, pos int) bool {
	k, l := f.obj.k, p.lines[pos]
	switch {
	case k.fits != nil && !k.fits(f.obj, l.key, l, p.at(pos+1)):
	case k.local != "" && (p.refs[k.local+"/"+l.key] || pascalCase(l.key)):
	case k.local != "" && claimed(f.up, l.key):
	case closes[framePath(f)+"/"+l.key]:
	default:
		return false
	}
	return true
}

// pascalCase reports whether name starts with an upper-case letter and has
// a lower-case one (so not an all-caps word such as an enum value).
func pascalCase(name string) bool {
	return name != "" && name[0] >= 'A' && name[0] <= 'Z' && strings.ToUpper(name) != name
}

// claimed reports whether a properties map from f outwards names key among
// the enum values of its `type` property and does not hold key yet.
func claimed(f *frame, key string) bool {
	for ; f != nil; f = f.up {
		if f.obj == nil || f.obj.k.local == "" || f.obj.has(key) {
			continue
		}
		if t := f.obj.kids["type"]; t != nil && slices.Contains(t.items["enum"], key) {
			return true
		}
	}
	return false
}

// framePath is the path of keys from the document root to frame f, with
// "-" for sequence items: "components/schemas/Name/properties".
func framePath(f *frame) string {
	var parts []string
	for ; f != nil && f.up != nil; f = f.up {
		if f.item == nil || f.obj != nil {
			parts = append(parts, f.name)
		}
	}
	slices.Reverse(parts)
	return strings.Join(parts, "/")
}

// record notes an entry's key and what the object checks may need of it.
func (o *object) record(l line, r result) {
	o.keys = append(o.keys, l.key)
	if l.value != "" {
		o.inline[l.key] = l.value
	}
	if r.obj != nil {
		o.kids[l.key] = r.obj
	}
	if r.items != nil {
		o.items[l.key] = r.items
	}
}

// keyLine reports whether l is a mapping entry: a key after exactly one
// "- " when onDash, after none otherwise.
func (p *parser) keyLine(l line, onDash bool) bool {
	want := 0
	if onDash {
		want = 1
	}
	return l.hasKey && l.dashes == want
}

// keyPlace places an entry's key line: on a dash line, the dash is written
// two columns left of the keys.
func (p *parser) keyPlace(pos, col int, onDash bool) placed {
	if onDash {
		return placed{pos, col - 2}
	}
	return placed{pos, col}
}

// value parses the value of the entry at line pos (keys at column keyCol,
// in frame f) as v says it may be.
func (p *parser) value(v *val, pos, keyCol int, f *frame) (result, bool) {
	l := p.lines[pos]
	switch {
	case l.isBlock():
		if !v.scalar && !v.any {
			return result{}, false
		}
		return p.blockScalar(pos+1, keyCol+2, f), true
	case l.value != "":
		flow := l.isFlow() && (v.obj != nil || v.seq != nil)
		return result{next: pos + 1}, v.scalar || v.any || flow
	}
	next := p.at(pos + 1)
	switch {
	case next.dashes > 0 && v.any:
		return p.sequence(anyVal, pos+1, keyCol+2, true, f)
	case next.dashes > 0 && v.seq != nil:
		return p.sequence(v.seq, pos+1, keyCol+2, false, f)
	case next.hasKey && v.any:
		return p.freeMap(pos+1, keyCol+2, false, f)
	case next.hasKey && v.obj != nil:
		return p.mapping(v.obj, pos+1, keyCol+2, false, f)
	case !next.hasKey && next.dashes == 0 && next.text != "" && (v.scalar || v.any):
		// A plain scalar starting on the next line: its lines run on
		// like a block scalar's.
		return p.blockScalar(pos+1, keyCol+2, f), true
	}
	return result{}, false
}

// blockScalar takes content lines from pos until a line an enclosing
// mapping or sequence accepts.
func (p *parser) blockScalar(pos, col int, f *frame) result {
	res := result{next: pos}
	for res.next < len(p.lines) && !p.accepted(res.next, f, false) {
		res.out = append(res.out, placed{res.next, col})
		res.next++
	}
	return res
}

// sequence parses a block sequence whose dashes are at column col.
func (p *parser) sequence(item *val, pos, col int, free bool, up *frame) (result, bool) {
	f := &frame{item: item, col: col, free: free, up: up}
	res := result{next: pos}
	for res.next < len(p.lines) && p.lines[res.next].dashes > 0 {
		if free && res.next > pos && p.accepted(res.next, up, true) {
			break
		}
		r, ok := p.seqItem(item, res.next, col, f)
		if !ok {
			break
		}
		res.out, res.next = append(res.out, r.out...), r.next
		if l := p.lines[r.out[0].ln]; !l.hasKey {
			res.items = append(res.items, l.body)
		}
	}
	return res, res.next > pos
}

// seqItem parses one "- " item of sequence f.
func (p *parser) seqItem(item *val, pos, col int, f *frame) (result, bool) {
	key := memoKey{f: f, pos: pos, n: -1}
	m, seen := p.memo[key]
	if !seen {
		m.r, m.ok = p.parseItem(item, pos, col, f)
		p.memo[key] = m
	}
	return m.r, m.ok
}

// parseItem parses line pos as the next item of sequence f.
func (p *parser) parseItem(item *val, pos, col int, f *frame) (result, bool) {
	l := p.lines[pos]
	switch {
	case l.dashes > 1:
		return result{}, false
	case l.hasKey && item.obj != nil:
		return p.mapping(item.obj, pos, col+2, true, f)
	case l.hasKey && item.any:
		return p.freeMap(pos, col+2, true, f)
	case !l.hasKey && (item.scalar || item.any) && !blockIndicator.MatchString(l.body):
		return result{out: []placed{{pos, col}}, next: pos + 1}, true
	}
	return result{}, false
}

// freeMap parses free-form mapping data (an example, an extension). It
// ends at the first line after its first entry that an enclosing structured
// mapping or sequence accepts.
func (p *parser) freeMap(pos, col int, onDash bool, up *frame) (result, bool) {
	f := &frame{col: col, free: true, keys: map[string]bool{}, up: up}
	res := result{next: pos}
	for res.next < len(p.lines) {
		l, first := p.lines[res.next], res.next == pos
		if !p.keyLine(l, onDash && first) || f.keys[l.key] || (!first && p.accepted(res.next, up, true)) {
			break
		}
		r, ok := p.value(anyVal, res.next, col, f)
		if !ok {
			break
		}
		f.keys[l.key] = true
		res.out = append(res.out, p.keyPlace(res.next, col, onDash && first))
		res.out, res.next = append(res.out, r.out...), r.next
	}
	return res, res.next > pos
}

// accepted reports whether any frame from f outwards would take line pos
// as its next entry or item; skipFree ignores free-form frames.
func (p *parser) accepted(pos int, f *frame, skipFree bool) bool {
	l := p.lines[pos]
	for ; f != nil; f = f.up {
		switch {
		case f.free && skipFree:
		case f.free && f.item == nil:
			if l.hasKey && l.dashes == 0 && !f.keys[l.key] {
				return true
			}
		case f.free:
			if l.dashes > 0 {
				return true
			}
		case f.obj != nil:
			if p.tryEntry(f, pos) {
				return true
			}
		case l.dashes > 0:
			if _, ok := p.seqItem(f.item, pos, f.col, f); ok {
				return true
			}
		}
	}
	return false
}

// tryEntry reports whether the mapping f would take line pos, without
// recording it.
func (p *parser) tryEntry(f *frame, pos int) bool {
	_, ok := p.entry(f, pos, false, false)
	return ok
}
