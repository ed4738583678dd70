package probe

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/wabcheck/wabcheck/internal/speclint"
)

// pattern is a spec pattern compiled with its ECMA-262 meaning, and the
// syntax tree values are generated from.
type pattern struct {
	re   *regexp.Regexp
	tree *syntax.Regexp
	min  int // length of the shortest match
}

// patterns caches compiled patterns; nil entries are patterns the probe
// cannot generate for (not ECMA, or not expressible in RE2).
type patterns struct {
	mu sync.Mutex
	m  map[string]*pattern
}

func newPatterns() *patterns { return &patterns{m: map[string]*pattern{}} }

func (ps *patterns) get(src string) *pattern {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p, ok := ps.m[src]; ok {
		return p
	}
	var p *pattern
	if re, err := speclint.ECMARegexp(src); err == nil {
		if tree, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
			tree = tree.Simplify()
			p = &pattern{re: re, tree: tree, min: minLen(tree)}
		}
	}
	ps.m[src] = p
	return p
}

// minLen is the length (in characters) of the shortest string re matches.
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minLen(s)
		}
		return n
	case syntax.OpAlternate:
		best := -1
		for _, s := range re.Sub {
			if l := minLen(s); best < 0 || l < best {
				best = l
			}
		}
		return max(best, 0)
	}
	return 0 // star, quest, anchors, empty
}

// match returns a string of length in [lo, hi] (hi < 0: no bound) that
// the pattern matches, aiming at length want; false when none was found.
// canon makes the first try predictable (first alternatives, first
// characters); otherwise every choice is random.
func (p *pattern) match(rnd *rand.Rand, lo, hi, want int, canon bool) (string, bool) {
	want = max(want, lo, p.min)
	for try := range 24 {
		g := &regen{rnd: rnd, budget: want - p.min, first: canon && try == 0}
		var b strings.Builder
		g.gen(&b, p.tree)
		s := b.String()
		n := utf8.RuneCountInString(s)
		if n >= lo && (hi < 0 || n <= hi) && p.re.MatchString(s) {
			return s, true
		}
		if try > 12 {
			want = lo + rnd.IntN(max(hi-lo, 0)+1)
		}
	}
	return "", false
}

// mismatch returns a string of length in [lo, hi] the pattern does not
// match, as short as it can.
func (p *pattern) mismatch(rnd *rand.Rand, lo, hi int) (string, bool) {
	base, _ := p.match(rnd, 0, -1, 0, true)
	cands := []string{"!", "", "~", " ", "a", "0", base + "!", "!" + base}
	if base != "" {
		_, size := utf8.DecodeRuneInString(base)
		for _, c := range []string{"!", "~", " ", "a", "0", "Z"} {
			cands = append(cands, c+base[size:])
		}
	}
	for _, c := range cands {
		for utf8.RuneCountInString(c) < lo {
			c += "!"
		}
		n := utf8.RuneCountInString(c)
		if (hi < 0 || n <= hi) && !p.re.MatchString(c) {
			return c, true
		}
	}
	return "", false
}

// regen generates one string from a syntax tree: mandatory repeats first,
// then extra repeats while budget (characters beyond the shortest match)
// lasts. The first try takes the first alternative and the first
// character of each class, so the shortest match is predictable.
type regen struct {
	rnd    *rand.Rand
	budget int
	first  bool
}

func (g *regen) gen(b *strings.Builder, re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		b.WriteRune(g.pick(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteRune(g.pick([]rune{'a', 'z', '0', '9'}))
	case syntax.OpCapture:
		g.gen(b, re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			g.gen(b, s)
		}
	case syntax.OpAlternate:
		g.gen(b, g.alternative(re.Sub))
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		g.repeat(b, re)
	}
}

func (g *regen) alternative(subs []*syntax.Regexp) *syntax.Regexp {
	if g.first {
		best := subs[0]
		for _, s := range subs[1:] {
			if minLen(s) < minLen(best) {
				best = s
			}
		}
		return best
	}
	return subs[g.rnd.IntN(len(subs))]
}

// repeat writes the mandatory copies, then more while the budget lasts.
func (g *regen) repeat(b *strings.Builder, re *syntax.Regexp) {
	lo, hi := re.Min, re.Max
	switch re.Op {
	case syntax.OpStar:
		lo, hi = 0, -1
	case syntax.OpPlus:
		lo, hi = 1, -1
	case syntax.OpQuest:
		lo, hi = 0, 1
	}
	sub := re.Sub[0]
	for range lo {
		g.gen(b, sub)
	}
	// The cost of a copy is reserved before it is generated, so repeats
	// nested inside it (Simplify turns x{1,19} into nested x?) see what is
	// left, then the difference is settled.
	cost := max(minLen(sub), 1)
	for n := lo; (hi < 0 || n < hi) && g.budget >= cost; n++ {
		g.budget -= cost
		before := b.Len()
		g.gen(b, sub)
		g.budget -= max(b.Len()-before, 1) - cost
	}
}

// pick chooses a character of a class (pairs of lo, hi): an ASCII letter
// or digit when the class has one, else printable ASCII, else its first.
func (g *regen) pick(ranges []rune) rune {
	var nice, printable []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		for c := max(ranges[i], ' '); c <= min(ranges[i+1], '~'); c++ {
			printable = append(printable, c)
			if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				nice = append(nice, c)
			}
		}
	}
	for _, set := range [][]rune{nice, printable} {
		if len(set) > 0 {
			if g.first {
				return set[0]
			}
			return set[g.rnd.IntN(len(set))]
		}
	}
	if len(ranges) > 0 {
		return ranges[0]
	}
	return 'a'
}
