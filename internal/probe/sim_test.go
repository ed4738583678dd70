package probe

import (
	"context"
	"fmt"
	"testing"

	"github.com/wabcheck/wabcheck/internal/validate"
	"github.com/wabcheck/wabcheck/spec"
)

func TestDebugSim(t *testing.T) {
	doc := spec.MustEmbedded()
	v, _ := validate.New(doc)
	st, err := StartSim(doc, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o := DefaultOptions()
	o.Doc, o.Validator, o.Dialect, o.Simulated, o.BaseURL, o.Receiver = doc, v, st.Dialect, true, st.BaseURL, st.Receiver
	o.MaxCases = 2000
	o.ReceiptTimeout = 3e9
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		fmt.Printf("%s %s %s [%s] %s (%d) %s\n  %s\n  %s\n", f.Operation, f.Check, f.Rule, f.Spec, f.Message, f.Occurrences, f.Case, f.Curl, f.Answer)
	}
	fmt.Println(len(res.Cases), res.Duration, res.Skipped, res.Notes, res.Coverage.Percent)
}
