package probe

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// Link is a stateful link between two operations (dialect.Link).
type Link = dialect.Link

// sends reports whether an operation sends a real message and where its
// recipients are (dialect.Explorer); a dialect that does not say sends
// nothing the probe knows of.
func (o *Options) sends(operation string) ([]string, bool) {
	if ex, ok := o.Dialect.(dialect.Explorer); ok {
		return ex.Sends(operation)
	}
	return nil, false
}

// senders are the sender fields of an operation's body (none for a
// dialect that does not say: dialect.SenderFielder).
func (o *Options) senders(operation string) []string {
	if sf, ok := o.Dialect.(dialect.SenderFielder); ok {
		return sf.SenderFields(operation)
	}
	return nil
}

// dialectLinks are the dialect's own stateful links.
func (o *Options) dialectLinks() []Link {
	if ex, ok := o.Dialect.(dialect.Explorer); ok {
		return ex.Links()
	}
	return nil
}

// explores is true when the dialect tells the probe about sends (and so
// which sends' receipts to follow).
func (o *Options) explores() bool {
	_, ok := o.Dialect.(dialect.Explorer)
	return ok
}

// reconfigures asks a dialect whose operations change the account's
// configuration (dialect.Reconfigurer); none for one that does not say.
func (o *Options) reconfigures(operation string) (string, bool) {
	if rc, ok := o.Dialect.(dialect.Reconfigurer); ok {
		return rc.Reconfigures(operation)
	}
	return "", false
}

// itemRejected asks a dialect whose batches reject items one by one.
func (o *Options) itemRejected(operation, pointer string, answer []byte) bool {
	ir, ok := o.Dialect.(dialect.ItemRejecter)
	return ok && ir.ItemRejected(operation, pointer, answer)
}

// authorizeWrong sets credentials the target must refuse: fixed, not
// derived from the real ones, so a report may show them.
func (o *Options) authorizeWrong(req *http.Request) {
	name, value := o.Auth.Wrong()
	req.Header.Set(name, value)
}

// curlAuth returns the curl arguments that send valid credentials from
// $WABCHECK_… environment variables (never their values), or, with wrong
// set, the fixed wrong ones authorizeWrong sets.
func (o *Options) curlAuth(wrong bool) string {
	if wrong {
		name, value := o.Auth.Wrong()
		if enc, ok := strings.CutPrefix(value, "Basic "); ok {
			if pair, err := base64.StdEncoding.DecodeString(enc); err == nil {
				return "-u " + shellQuote(string(pair))
			}
		}
		return "-H " + shellQuote(name+": "+value)
	}
	if sc, ok := o.Auth.(dialect.ShellCredential); ok {
		return sc.CurlArgs()
	}
	return `-H "` + strings.Join(o.Auth.Headers(), "") + `: $WABCHECK_CREDENTIAL"`
}
