package specdiff

import (
	"bytes"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/golden"
)

// candidateEdits turn the embedded Modica spec into a plausible next vendor
// version with breaking and non-breaking changes mixed.
var candidateEdits = []edit{
	set("/info/version", "1.3.0"),
	del("/paths/~1source"),
	set(pSchemas+"/MessageDestination/properties/to/maxLength", "12"),
	set(pPatchSch+"/properties/note", "{type: string, maxLength: 140}"),
	add(pPatchSch+"/required", "note"),
	add(pPostResp+"/properties/status/enum", "queued"),
	set(pPostResp+"/properties/queued_at", "{type: string, format: date-time}"),
	add(pMedia+"/get/parameters", `{name: thumbnail, in: query, schema: {type: boolean}}`),
	set(pSchemas+"/Uuid/maxLength", "32"),
	del(pSchemas + "/StatusCallback/properties/reference"),
}

// TestGolden checks the text and JSON output for the candidate variant;
// run with -update to rewrite testdata/candidate.diff.{txt,json}.
func TestGolden(t *testing.T) {
	base := modicaspec.Published()
	r, err := Diff(Input{Name: "modica-wab-v1.2.0.yaml", Data: apply(t, base)},
		Input{Name: "modica-wab-v1.3.0-candidate.yaml", Data: apply(t, base, candidateEdits...)})
	if err != nil {
		t.Fatal(err)
	}
	var txt, js bytes.Buffer
	if err := WriteText(&txt, r, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "candidate.diff.txt", txt.Bytes())
	golden.Check(t, "candidate.diff.json", js.Bytes())
}
