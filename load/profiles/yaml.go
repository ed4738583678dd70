package profiles

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/wabcheck/wabcheck/internal/finite"
)

// scalar is one YAML scalar kept as text with its line, parsed later where
// the key path is known, so every error names key and line.
type scalar struct {
	Raw  string
	Line int
	Set  bool
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (s *scalar) UnmarshalYAML(n *yaml.Node) error {
	*s = scalar{Raw: n.Value, Line: n.Line, Set: true}
	return nil
}

// The raw YAML shape of a profile file; checkKeys walks it by reflection.
type fileYAML struct {
	Name        scalar         `yaml:"name"`
	Description scalar         `yaml:"description"`
	Stages      []stageYAML    `yaml:"stages"`
	Mix         yaml.Node      `yaml:"mix"`
	Payload     payloadYAML    `yaml:"payload"`
	Timeout     scalar         `yaml:"timeout"`
	Workers     scalar         `yaml:"workers"`
	MaxWorkers  scalar         `yaml:"max_workers"`
	Grace       scalar         `yaml:"grace"`
	RateLimit   *rateLimitYAML `yaml:"ratelimit"`
	Sim         simYAML        `yaml:"sim"`
	Thresholds  []scalar       `yaml:"thresholds"`
}

type stageYAML struct {
	Duration scalar `yaml:"duration"`
	Rate     scalar `yaml:"rate"`
	From     scalar `yaml:"from"`
	To       scalar `yaml:"to"`
}

type payloadYAML struct {
	FirstDestination scalar    `yaml:"first_destination"`
	Destinations     scalar    `yaml:"destinations"`
	BroadcastSize    scalar    `yaml:"broadcast_size"`
	ReferencePrefix  scalar    `yaml:"reference_prefix"`
	Via              scalar    `yaml:"via"`
	Variants         yaml.Node `yaml:"variants"`
}

type rateLimitYAML struct {
	Recovery scalar `yaml:"recovery"`
	MaxWait  scalar `yaml:"max_wait"`
	Limit    scalar `yaml:"limit"`
}

type simYAML struct {
	RateLimit scalar    `yaml:"rate_limit"`
	Options   yaml.Node `yaml:"options"`
}

var (
	fileSchema   = reflect.TypeFor[fileYAML]()
	scalarType   = reflect.TypeFor[scalar]()
	yamlNodeType = reflect.TypeFor[yaml.Node]()
)

// checkKeys walks n against the raw type t and reports the first unknown
// key or misplaced value with its line and key path.
func checkKeys(n *yaml.Node, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == yamlNodeType:
		return nil
	case t == scalarType:
		if n.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: %s: expected a single value", n.Line, path)
		}
		return nil
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return fmt.Errorf("line %d: %s: expected a list", n.Line, path)
		}
		for i, c := range n.Content {
			if err := checkKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	return checkMapping(n, t, path)
}

func checkMapping(n *yaml.Node, t reflect.Type, path string) error {
	where := path
	if where == "" {
		where = "the top level"
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s: expected a mapping of keys", n.Line, where)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fieldByTag(t, k.Value)
		if !ok {
			return fmt.Errorf("line %d: unknown key %q in %s (known: %s)", k.Line, k.Value, where, strings.Join(tags(t), ", "))
		}
		if err := checkKeys(v, f.Type, join(path, k.Value)); err != nil {
			return err
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if strings.Split(f.Tag.Get("yaml"), ",")[0] == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tags(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		out = append(out, strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0])
	}
	return out
}

// fieldErr formats a one-line error for key path at line.
func fieldErr(s scalar, path, format string, a ...any) error {
	return fmt.Errorf("line %d: %s: %s", s.Line, path, fmt.Sprintf(format, a...))
}

func parseDuration(s scalar, path string, def time.Duration) (time.Duration, error) {
	if !s.Set {
		return def, nil
	}
	d, err := time.ParseDuration(s.Raw)
	if err != nil {
		return 0, fieldErr(s, path, "bad duration %q (write it like 500ms, 10s, 2m)", s.Raw)
	}
	if d <= 0 {
		return 0, fieldErr(s, path, "duration %q must be positive", s.Raw)
	}
	if d > MaxDuration {
		return 0, fieldErr(s, path, "duration %q is longer than the maximum of %s", s.Raw, MaxDuration)
	}
	return d, nil
}

func parseInt(s scalar, path string, def, lo, hi uint64) (uint64, error) {
	if !s.Set {
		return def, nil
	}
	n, err := strconv.ParseUint(s.Raw, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fieldErr(s, path, "%q is not a whole number between %d and %d", s.Raw, lo, hi)
	}
	return n, nil
}

// parseRate reads "200" (requests per second) or "3x" (times the advertised
// X-RateLimit-Limit).
func parseRate(s scalar, path string) (Rate, error) {
	raw := strings.TrimSpace(s.Raw)
	rel := strings.HasSuffix(raw, "x")
	v, err := finite.Parse(strings.TrimSuffix(raw, "x"))
	switch {
	case err != nil:
		return Rate{}, fieldErr(s, path, "bad rate %q (requests per second like 200, or a multiple of the advertised limit like 1.5x)", s.Raw)
	case v < 0 || v > MaxRate:
		return Rate{}, fieldErr(s, path, "impossible rate %q (must be between 0 and %d per second)", s.Raw, MaxRate)
	case rel && (v == 0 || v > 100):
		return Rate{}, fieldErr(s, path, "impossible rate %q (a multiple must be above 0 and at most 100x)", s.Raw)
	}
	return Rate{Value: v, Relative: rel}, nil
}

// weights reads a mapping of name: weight, in file order.
func weights(n *yaml.Node, path string, known []string) ([]OpWeight, error) {
	if n.Kind == 0 {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: %s: expected a mapping like {%s: 1}", n.Line, path, known[0])
	}
	var out []OpWeight
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(known, k.Value) {
			return nil, fmt.Errorf("line %d: unknown key %q in %s (known: %s)", k.Line, k.Value, path, strings.Join(known, ", "))
		}
		w, err := parseInt(scalar{Raw: v.Value, Line: v.Line, Set: true}, join(path, k.Value), 0, 0, 1_000_000)
		if err != nil {
			return nil, err
		}
		if w > 0 {
			out = append(out, OpWeight{Op: k.Value, Weight: int(w)})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("line %d: %s: at least one weight must be above 0", n.Line, path)
	}
	return out, nil
}
