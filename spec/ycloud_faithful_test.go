package spec

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/wabcheck/wabcheck/spec/internal/reindent"
)

// This file checks that ycloud-api-v2.yaml is the YCloud API v2 spec: the
// output of the reindent program on seed 002 (whose indentation was lost),
// equal as data to the clean public copy of the same spec kept outside the
// repository, in ../shared/reference (read here, never copied).

const (
	ycloudSpecFile = "ycloud-api-v2.yaml"
	ycloudSeedName = "002_df5975ba334980d7.txt"
	ycloudMaxDiffs = 20
)

// ycloudReferencePath is the clean copy: $WABCHECK_REFERENCE (the reference
// directory), else ../../shared/reference from this package directory.
func ycloudReferencePath() string {
	dir := os.Getenv("WABCHECK_REFERENCE")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "reference")
	}
	return filepath.Join(dir, ycloudSpecFile)
}

// ycloudSeedPath is seed 002: $WABCHECK_SEEDS (the seeds directory), else
// ../../shared/seeds.
func ycloudSeedPath() string {
	dir := os.Getenv("WABCHECK_SEEDS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "seeds")
	}
	return filepath.Join(dir, ycloudSeedName)
}

func decodeYAML(t *testing.T, name string, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// ycloudSeedLosses is how many multi-line strings of the reference differ
// from the reconstruction only by what seed 002 does not carry: blank lines
// (markdown paragraph breaks) and trailing spaces (markdown line breaks)
// inside block scalars. The seed has no blank line and no trailing space at
// all, so nothing can restore them; the comparison ignores exactly that and
// counts it.
const ycloudSeedLosses = 29

func TestYCloudSpecEqualsReferenceAsData(t *testing.T) {
	ref, err := os.ReadFile(ycloudReferencePath())
	if err != nil {
		t.Skipf("reference spec not available (set WABCHECK_REFERENCE): %v", err)
	}
	ours, err := os.ReadFile(ycloudSpecFile)
	if err != nil {
		t.Fatal(err)
	}
	a, b := decodeYAML(t, ycloudSpecFile, ours), decodeYAML(t, "reference", ref)
	var d dataDiffs
	d.walk("", a, b)
	for i, s := range d.real {
		if i == ycloudMaxDiffs {
			t.Errorf("… %d more differences", len(d.real)-i)
			break
		}
		t.Error(s)
	}
	if len(d.real) == 0 && !reflect.DeepEqual(normalizeLosses(a), normalizeLosses(b)) {
		t.Error("the two documents differ only in the types of some mapping keys")
	}
	if len(d.lossy) != ycloudSeedLosses {
		t.Errorf("%d strings differ only by blank lines or trailing spaces, want %d:\n%s",
			len(d.lossy), ycloudSeedLosses, strings.Join(d.lossy, "\n"))
	}
}

// TestYCloudDataDiffSeesEveryDifference proves the comparison is not blind:
// a moved key, a changed scalar, a changed list and a changed line break
// are each reported, and only lost blank lines and trailing spaces are
// forgiven.
func TestYCloudDataDiffSeesEveryDifference(t *testing.T) {
	base := map[string]any{"a": map[string]any{"b": "x\ny", "c": []any{1, 2}}, "d": 200}
	for name, tc := range map[string]struct {
		mut         func(m map[string]any)
		real, lossy int
	}{
		"same":         {func(map[string]any) {}, 0, 0},
		"moved key":    {func(m map[string]any) { m["b"] = m["a"].(map[string]any)["b"]; delete(m["a"].(map[string]any), "b") }, 2, 0},
		"scalar":       {func(m map[string]any) { m["d"] = "200" }, 1, 0},
		"list":         {func(m map[string]any) { m["a"].(map[string]any)["c"] = []any{1} }, 1, 0},
		"joined lines": {func(m map[string]any) { m["a"].(map[string]any)["b"] = "x y" }, 1, 0},
		"blank line":   {func(m map[string]any) { m["a"].(map[string]any)["b"] = "x\n\ny" }, 0, 1},
		"trailing sp":  {func(m map[string]any) { m["a"].(map[string]any)["b"] = "x  \ny" }, 0, 1},
		"single-line":  {func(m map[string]any) { m["d"] = "x " }, 1, 0},
	} {
		t.Run(name, func(t *testing.T) {
			other := deepCopy(base).(map[string]any)
			tc.mut(other)
			var d dataDiffs
			d.walk("", deepCopy(base), other)
			if len(d.real) != tc.real || len(d.lossy) != tc.lossy {
				t.Errorf("real %q, lossy %q; want %d real, %d lossy", d.real, d.lossy, tc.real, tc.lossy)
			}
		})
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// TestYCloudSpecIsReindentOutput pins the committed spec to the program that
// made it: reindent on seed 002 without its first line (a page header).
func TestYCloudSpecIsReindentOutput(t *testing.T) {
	seed, err := os.ReadFile(ycloudSeedPath())
	if err != nil {
		t.Skipf("seed 002 not available (set WABCHECK_SEEDS): %v", err)
	}
	_, body, _ := bytes.Cut(seed, []byte("\n"))
	want, err := reindent.Reindent(body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(ycloudSpecFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the reindent output of seed 002; regenerate it with\n"+
			"go run ./spec/internal/reindent/cmd/reindent -skip 1 ../shared/seeds/%s > spec/%s",
			ycloudSpecFile, ycloudSeedName, ycloudSpecFile)
	}
}

// dataDiffs collects the differences between two decoded documents as
// JSON pointers with both values: real ones, and lossy ones (multi-line
// strings equal once blank lines and trailing spaces are dropped).
type dataDiffs struct {
	real, lossy []string
}

// walk compares a (ours) with b (the reference) at pointer ptr.
func (d *dataDiffs) walk(ptr string, a, b any) {
	a, b = stringKeys(a), stringKeys(b)
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			d.walkMaps(ptr, av, bv)
			return
		}
	case []any:
		if bv, ok := b.([]any); ok && len(av) == len(bv) {
			for i := range av {
				d.walk(ptr+"/"+strconv.Itoa(i), av[i], bv[i])
			}
			return
		}
	}
	if reflect.DeepEqual(a, b) {
		return
	}
	as, aok := a.(string)
	bs, bok := b.(string)
	switch {
	case aok && bok && strings.Contains(bs, "\n") && dropLosses(as) == dropLosses(bs):
		d.lossy = append(d.lossy, orRoot(ptr))
	case aok && bok:
		d.real = append(d.real, fmt.Sprintf("%s: strings differ %s", orRoot(ptr), stringDiff(as, bs)))
	default:
		d.real = append(d.real, fmt.Sprintf("%s: ours %s, reference %s", orRoot(ptr), brief(a), brief(b)))
	}
}

func (d *dataDiffs) walkMaps(ptr string, a, b map[string]any) {
	for _, k := range unionKeys(a, b) {
		p := ptr + "/" + EscapeToken(k)
		x, inA := a[k]
		y, inB := b[k]
		if inA != inB {
			d.real = append(d.real, fmt.Sprintf("%s: ours %s, reference %s", p, present(x, inA), present(y, inB)))
			continue
		}
		d.walk(p, x, y)
	}
}

// dropLosses removes what seed 002 lost from a multi-line string: blank
// lines and trailing spaces and tabs.
func dropLosses(s string) string {
	var kept []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimRight(l, " \t"); l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// normalizeLosses applies dropLosses to every multi-line string of v,
// keeping everything else (mapping key types included), for a last
// whole-document comparison.
func normalizeLosses(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			m[k] = normalizeLosses(e)
		}
		return m
	case map[any]any:
		m := map[any]any{}
		for k, e := range x {
			m[k] = normalizeLosses(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = normalizeLosses(e)
		}
		return l
	case string:
		if strings.Contains(x, "\n") {
			return dropLosses(x)
		}
		return x
	default:
		return x
	}
}

// stringKeys turns a mapping with non-string keys (yaml.v3 decodes `200:`
// as an int key) into one keyed by their text; other values are returned
// as they are.
func stringKeys(v any) any {
	m, ok := v.(map[any]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		out[fmt.Sprint(k)] = x
	}
	return out
}

// stringDiff shows where two strings part: the byte offset and a few
// characters of each from a little before it.
func stringDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-20)
	clip := func(s string) string { return s[from:min(len(s), i+40)] }
	return fmt.Sprintf("at byte %d of %d/%d: ours %q, reference %q", i, len(a), len(b), clip(a), clip(b))
}

func present(v any, ok bool) string {
	if !ok {
		return "absent"
	}
	return brief(v)
}

func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func orRoot(ptr string) string {
	if ptr == "" {
		return "(root)"
	}
	return ptr
}

// brief shows a value short enough for a test log: scalars in full (up to
// 80 characters), collections by size.
func brief(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return fmt.Sprintf("a mapping of %d keys", len(x))
	case map[any]any:
		return fmt.Sprintf("a mapping of %d keys", len(x))
	case []any:
		return fmt.Sprintf("a list of %d items", len(x))
	}
	s := fmt.Sprintf("%T %q", v, fmt.Sprint(v))
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return s
}
