package validate

import (
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// Transitional (issue 8): until every caller names its dialect's callback
// kinds, New without the Callbacks option falls back to guessing Modica's
// two kinds from the words in the spec's callback expressions. This file
// goes when the callback receiver, the simulator and the harness read
// kinds from the dialect.

// KindStatus and KindReply are Modica's callback kinds.
const (
	KindStatus Kind = "status"
	KindReply  Kind = "reply"
)

// guessedKinds lists the callback kinds of doc's callbacks whose
// expression names "status" or "reply".
func (v *Validator) guessedKinds() []dialect.CallbackKind {
	var out []dialect.CallbackKind
	seen := map[string]bool{}
	for _, tmpl := range v.doc.T.Paths.InMatchingOrder() {
		item := v.doc.T.Paths.Value(tmpl)
		if item == nil {
			continue
		}
		for _, op := range item.Operations() {
			for name, ref := range op.Callbacks {
				if ref == nil || ref.Value == nil {
					continue
				}
				for expr := range ref.Value.Map() {
					k := guessKind(expr)
					if k != "" && !seen[k] {
						seen[k] = true
						out = append(out, dialect.CallbackKind{Name: k, SpecCallback: name, SpecExpression: expr})
					}
				}
			}
		}
	}
	return out
}

func guessKind(expr string) string {
	e := strings.ToLower(expr)
	switch {
	case strings.Contains(e, "status"):
		return string(KindStatus)
	case strings.Contains(e, "reply"):
		return string(KindReply)
	}
	return ""
}
