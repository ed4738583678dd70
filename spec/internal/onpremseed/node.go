package onpremseed

import (
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// decodeNode reads one JSON value from dec as a YAML node, keeping the
// order of object members and the exact text of strings and numbers.
func decodeNode(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return decodeObject(dec)
		}
		if t == '[' {
			return decodeArray(dec)
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case string:
		return scalar("!!str", t), nil
	case json.Number:
		if strings.ContainsAny(string(t), ".eE") {
			return scalar("!!float", string(t)), nil
		}
		return scalar("!!int", string(t)), nil
	case bool:
		return scalar("!!bool", fmt.Sprint(t)), nil
	case nil:
		return scalar("!!null", "null"), nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

func decodeObject(dec *json.Decoder) (*yaml.Node, error) {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("object key %v is not a string", tok)
		}
		if seen[key] {
			return nil, fmt.Errorf("duplicate object key %q", key)
		}
		seen[key] = true
		val, err := decodeNode(dec)
		if err != nil {
			return nil, err
		}
		m.Content = append(m.Content, scalar("!!str", key), val)
	}
	_, err := dec.Token() // '}'
	return m, err
}

func decodeArray(dec *json.Decoder) (*yaml.Node, error) {
	s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for dec.More() {
		val, err := decodeNode(dec)
		if err != nil {
			return nil, err
		}
		s.Content = append(s.Content, val)
	}
	_, err := dec.Token() // ']'
	return s, err
}
