package steps

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	placeholderRe = regexp.MustCompile(`\{\{\s*([^}]+?)\s*\}\}`)
	aheadRe       = regexp.MustCompile(`^now\+(\d+)d$`)
	repeatRe      = regexp.MustCompile(`^(\d+) (\S)$`)
)

// expand replaces the placeholders of the package comment in text; an
// unknown placeholder is an error naming it.
func (s *Scenario) expand(text string) (string, error) {
	var bad []string
	out := placeholderRe.ReplaceAllStringFunc(text, func(m string) string {
		name := placeholderRe.FindStringSubmatch(m)[1]
		v, ok := s.placeholder(name)
		if !ok {
			bad = append(bad, m)
		}
		return v
	})
	if len(bad) > 0 {
		return "", fmt.Errorf("unknown placeholder %s (known: {{to}}, {{from}}, {{ref}}, {{message_id}}, {{media_id}}, {{now+Nd}}, {{N c}}, and names kept with \"I keep the response field\")", strings.Join(bad, ", "))
	}
	return out, nil
}

func (s *Scenario) placeholder(name string) (string, bool) {
	switch name {
	case "to":
		return s.env.To[0], true
	case "from":
		if s.env.From != "" {
			return s.env.From, true
		}
		return s.env.Dialect.Info().SimSender, s.env.Dialect.Info().SimSender != ""
	case "ref":
		return s.ref, true
	case "message_id":
		if m, err := s.lastMessage(); err == nil {
			return m.id, true
		}
		return "", false
	case "media_id":
		return s.mediaID, s.mediaID != ""
	}
	if v, ok := s.kept[name]; ok {
		return v, true
	}
	if m := aheadRe.FindStringSubmatch(name); m != nil {
		days, _ := strconv.Atoi(m[1])
		return s.env.now().Add(time.Duration(days) * 24 * time.Hour).UTC().Format(time.RFC3339), true
	}
	if m := repeatRe.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n > 1<<20 {
			return "", false
		}
		return strings.Repeat(m[2], n), true
	}
	return "", false
}
