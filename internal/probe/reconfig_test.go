package probe

import (
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
)

// reconfiguringNotes is the notes dialect with creating a note marked as
// reconfiguring the account.
type reconfiguringNotes struct{ notesDialect }

func (reconfiguringNotes) Reconfigures(op string) (string, bool) {
	return "sets the one webhook URL", op == "PostNote"
}

// An operation the dialect says reconfigures the account (the on-premises
// client's PATCH /settings/application) gets no generated request; the
// result says it was left out and why.
func TestReconfiguringOperationsAreLeftOut(t *testing.T) {
	doc := notesDoc(t)
	srv := newNotesServer(t, doc)
	o := notesOptions(doc, srv.start(t))
	o.Dialect = reconfiguringNotes{notesDialect{modica.New()}}
	res := mustRun(t, o)
	for _, c := range res.Cases {
		if c.Operation == "PostNote" {
			t.Fatalf("case %q sent to the reconfiguring PostNote", c.Name)
		}
	}
	note := strings.Join(res.Notes, "\n")
	if !strings.Contains(note, "1 operations left out: they reconfigure the account") || !strings.Contains(note, "PostNote (sets the one webhook URL)") {
		t.Errorf("notes %q do not say PostNote was left out and why", note)
	}
	if len(srv.notes) != 0 {
		t.Errorf("%d notes created", len(srv.notes))
	}
}

// A positive case whose path names a resource by a generated value may
// honestly get 404 (no such resource), link or no link: GET
// /notes/{id} with its link removed gets 404 for generated ids and no
// positive_data_acceptance finding.
func TestGeneratedPathResourceMayBe404(t *testing.T) {
	doc := notesDoc(t)
	doc.T.Paths.Find("/notes").Post.Responses.Value("201").Value.Links = nil
	srv := newNotesServer(t, doc)
	o := notesOptions(doc, srv.start(t))
	o.Operations = []string{"GetNote"}
	res := mustRun(t, o)
	n404 := 0
	for _, c := range res.Cases {
		if c.Kind == Positive && c.Status == 404 {
			n404++
		}
	}
	if n404 == 0 {
		t.Fatal("no positive case got 404: the test does not test the rule")
	}
	if fs := findingsOf(res, CheckPositiveDataAcceptance); len(fs) != 0 {
		t.Errorf("%d positive_data_acceptance findings for 404s of generated ids, first: %s", len(fs), fs[0].Message)
	}
}
