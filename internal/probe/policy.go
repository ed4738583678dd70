package probe

import (
	"net/http"
	"sort"
	"strings"
)

// Reasons a planned case is left out (counted per operation in the
// result).
const (
	skipPositiveNone = "positive cases off (--positive none)"
	skipNoTo         = "sends a real message: give --to numbers to probe it"
	skipRecipient    = "varies the recipient of a real send"
	skipNoFrom       = "sends from the account's business number: give --from to probe it"
	skipSender       = "varies the sender of a real send"
	skipMultiply     = "would multiply a real send"
	skipWrites       = "changes the account: positive cases need --positive all"
	skipMethods      = "undeclared methods against a real target need --positive all"
)

// admit returns why c may not run against the target, or "".
func (pl *planner) admit(c *Case) string {
	if c.Kind == Positive && pl.o.Positive == PositiveNone {
		return skipPositiveNone
	}
	if pl.o.Simulated {
		return ""
	}
	if rps, sends := pl.o.sends(c.Operation); sends {
		switch {
		case len(pl.o.To) == 0:
			return skipNoTo
		case len(pl.o.senders(c.Operation)) > 0 && pl.o.From == "":
			return skipNoFrom
		case touches(c, rps) && c.Kind == Positive:
			return skipRecipient
		case touches(c, pl.o.senders(c.Operation)) && c.Kind == Positive:
			return skipSender
		case touches(c, rps) && c.mut.count:
			return skipMultiply
		}
		return ""
	}
	switch {
	case c.Kind == Positive && !readOnly(c.Method) && pl.o.Positive != PositiveAll:
		return skipWrites
	case c.Kind == Method && pl.o.Positive != PositiveAll:
		return skipMethods
	}
	return ""
}

// touches reports whether c's change is at or under a recipient field.
func touches(c *Case, recipients []string) bool {
	if c.mut == nil || c.mut.in != "body" || c.mut.mixWith >= 0 {
		return false
	}
	for _, rp := range recipients {
		if c.mut.ptr == rp || strings.HasPrefix(c.mut.ptr, rp+"/") {
			return true
		}
	}
	return false
}

func readOnly(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

func sortStrings(s []string) { sort.Strings(s) }
