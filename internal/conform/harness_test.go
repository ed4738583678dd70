package conform

import (
	"context"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
)

// TestTagsSelectingNothingIsAnError: a tag expression that selects no
// scenario used to give "0 passed, 0 failed" and exit 0.
func TestTagsSelectingNothingIsAnError(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Options)
		want string
	}{
		{"unknown tag", func(o *Options) { o.Tags = "@nonexistent" }, `--tags "@nonexistent": no scenario matches (known tags: `},
		{"all excluded by the target", func(o *Options) {
			o.Target, o.Credentials, o.Tags = "http://127.0.0.1:1/rest/wab/v1", dialect.Credentials{User: "u", Password: "p"}, "@sim-only"
		}, `--tags "@sim-only": no scenario matches once the target's exclusions apply`},
	}
	for _, tt := range tests {
		o := modicaOptions()
		o.Doc, o.Format = modicaspec.MustDoc(), ""
		tt.mod(&o)
		run, err := Run(context.Background(), o)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Run() = %v, %v; want an error containing %q", tt.name, run, err, tt.want)
		}
		if err != nil && tt.name == "unknown tag" && !strings.Contains(err.Error(), "@messages") {
			t.Errorf("%s: %v does not list the known tags", tt.name, err)
		}
	}
}
