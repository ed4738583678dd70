package specdiff

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// referenceDir is where the third-party reference specs live: $WABCHECK_REFERENCE,
// or /work/shared/reference seen from this package. They are read at test
// time and never copied into the repository.
func referenceDir() string {
	if d := os.Getenv("WABCHECK_REFERENCE"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "reference")
}

func readReference(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(referenceDir(), name))
	if err != nil {
		t.Skipf("reference spec %s not available: %v", name, err)
	}
	return data
}

// referenceCases are edits to the reference specs with the breaking
// changes each must produce (among others).
var referenceCases = []struct {
	file  string
	edits []edit
	want  []want
}{
	{file: "ycloud-api-v2.yaml",
		edits: []edit{
			del("/paths/~1contact~1contacts/get"),
			set("/components/schemas/ContactCreateRequest/required", "[phoneNumber, countryCode]"),
			set("/components/schemas/ContactCreateRequest/properties/nickname/maxLength", "100"),
			del("/components/schemas/Balance/properties/currency"),
		},
		want: []want{
			{"operation-removed", true, "paths./contact/contacts.get"},
			{"request-property-required-added", true, "components.schemas.ContactCreateRequest.required"},
			{"request-max-length-decreased", true, "ContactCreateRequest.properties.nickname.maxLength"},
			{"response-property-removed", true, "components.schemas.Balance.properties.currency"},
		}},
	{file: "whatsapp-business-api-onprem.yaml",
		edits: []edit{
			del("/paths/~1users~1{UserUsername}/delete"),
			set("/components/schemas/Create-User-Request-Body/properties/role", "{type: string}"),
			add("/components/schemas/Create-User-Request-Body/required", "role"),
			set("/paths/~1users~1login/post/requestBody/required", "true"),
		},
		want: []want{
			{"operation-removed", true, "paths./users/{UserUsername}.delete"},
			{"request-property-required-added", true, "components.schemas.Create-User-Request-Body.required"},
			{"request-property-added", false, "Create-User-Request-Body.properties.role"},
			{"request-body-became-required", true, "paths./users/login.post.requestBody.required"},
		}},
}

func TestReferenceSpecs(t *testing.T) {
	for _, tc := range referenceCases {
		t.Run(tc.file, func(t *testing.T) {
			data := readReference(t, tc.file)
			same, err := Diff(Input{Name: tc.file, Data: data}, Input{Name: tc.file, Data: data})
			if err != nil {
				t.Fatal(err)
			}
			if same.Summary.Total != 0 {
				t.Errorf("%s against itself: %d changes, want 0: %v", tc.file, same.Summary.Total, same.Changes)
			}
			r, err := Diff(Input{Name: tc.file, Data: data}, Input{Name: "modified.yaml", Data: apply(t, data, tc.edits...)})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !slices.ContainsFunc(r.Changes, func(c Change) bool {
					return c.Code == w.code && c.Breaking == w.breaking && contains(c.Path, w.path)
				}) {
					t.Errorf("no %s (breaking %v) at %q; got:\n%v", w.code, w.breaking, w.path, r.Changes)
				}
			}
			if !r.Fails(FailOnBreaking) {
				t.Errorf("modified %s: want a breaking change", tc.file)
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// BenchmarkDiffYCloud diffs the 250 KB YCloud spec against a modified copy.
func BenchmarkDiffYCloud(b *testing.B) {
	data := readReference(b, "ycloud-api-v2.yaml")
	mod := apply(b, data, referenceCases[0].edits...)
	b.SetBytes(int64(len(data) + len(mod)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Diff(Input{Name: "old", Data: data}, Input{Name: "new", Data: mod}); err != nil {
			b.Fatal(err)
		}
	}
}
