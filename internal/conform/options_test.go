package conform

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/features"
	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/sim"
	"github.com/wabcheck/wabcheck/spec"
)

func TestEffectiveTags(t *testing.T) {
	tests := []struct {
		user                string
		simulated, assisted bool
		want                string
	}{
		{"", true, false, "~@assisted && ~@slow"},
		{"", false, false, "~@sim-only && ~@destructive && ~@assisted && ~@slow"},
		{"@ratelimit && @slow", false, true, "@ratelimit && @slow && ~@sim-only && ~@destructive"},
		{"@broadcast,@destructive", false, false, "@broadcast,@destructive && ~@sim-only && ~@assisted && ~@slow"},
	}
	for _, tt := range tests {
		if got := effectiveTags(tt.user, tt.simulated, tt.assisted); got != tt.want {
			t.Errorf("effectiveTags(%q, %v, %v) = %q, want %q", tt.user, tt.simulated, tt.assisted, got, tt.want)
		}
	}
}

func TestMatchTags(t *testing.T) {
	tests := []struct {
		filter string
		tags   []string
		want   bool
	}{
		{"", []string{"@a"}, true},
		{"@a", []string{"@a"}, true},
		{"~@a", []string{"@a"}, false},
		{"@a,@b", []string{"@b"}, true},
		{"@a && ~@slow", []string{"@a", "@slow"}, false},
		{"@a && ~@slow", []string{"@a"}, true},
	}
	for _, tt := range tests {
		if got := matchTags(tt.filter, tt.tags); got != tt.want {
			t.Errorf("matchTags(%q, %v) = %v, want %v", tt.filter, tt.tags, got, tt.want)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	doc := modicaspec.MustDoc()
	tests := []struct {
		name string
		mod  func(*Options)
		want string // "" for valid
	}{
		{"defaults", func(*Options) {}, ""},
		{"no spec", func(o *Options) { o.Doc = nil }, "--spec"},
		{"bad target", func(o *Options) { o.Target = "ftp://x" }, "--target"},
		{"target without credentials", func(o *Options) { o.Target = "https://api.example/rest/wab/v1" }, "--user (or WABCHECK_USER)"},
		{"bad --to", func(o *Options) { o.To = []string{"021 123"} }, "--to"},
		{"cert without key", func(o *Options) { o.CallbackTLSCert = "c.pem" }, "--callback-tls-key"},
		{"key without cert", func(o *Options) { o.CallbackTLSKey = "k.pem" }, "--callback-tls-cert"},
		{"callback URL without target", func(o *Options) { o.CallbackURL = "https://cb.example" }, "--callback-url: only with --target"},
		{"TLS without target", func(o *Options) { o.CallbackTLSCert, o.CallbackTLSKey = "c.pem", "k.pem" }, "--callback-tls-cert: only with --target"},
		{"unreadable TLS key pair", func(o *Options) {
			o.Target, o.Credentials = "https://api.example", dialect.Credentials{User: "u", Password: "p"}
			o.CallbackTLSCert, o.CallbackTLSKey = "/nonexistent/c.pem", "/nonexistent/k.pem"
		}, "--callback-tls-cert /nonexistent/c.pem"},
		{"callback listen with the simulator", func(o *Options) { o.CallbackListen = "127.0.0.1:0" }, ""},
		{"fault with target", func(o *Options) {
			o.Target, o.Credentials = "https://api.example", dialect.Credentials{User: "u", Password: "p"}
			o.Faults = []sim.FaultSetting{{Name: "dlr-drop", Ratio: 1}}
		}, "--fault"},
		{"bad format", func(o *Options) { o.Format = "junit" }, "--format"},
		{"bad tags", func(o *Options) { o.Tags = "@a && " }, "--tags"},
		{"negative timeout", func(o *Options) { o.DLRTimeout = -1 }, "--dlr-timeout"},
	}
	for _, tt := range tests {
		o := modicaOptions()
		o.Doc = doc
		tt.mod(&o)
		err := o.Validate()
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: Validate() = %v, want an error naming %q", tt.name, err, tt.want)
		}
	}
}

// TestSendFeatureCoversEveryRequestExample keeps send.feature's outline in
// step with the spec: one row per example of the POST /messages body.
func TestSendFeatureCoversEveryRequestExample(t *testing.T) {
	doc := modicaspec.MustDoc()
	mt := doc.T.Paths.Find("/messages").Post.RequestBody.Value.Content.Get("application/json")
	var want []string
	for name := range mt.Examples {
		want = append(want, name)
	}
	got := scenarioCaptures(t, doc, `^The spec's "([^"]+)" request example is accepted$`)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("send.feature examples %v, spec request examples %v", got, want)
	}
}

// TestInterruptedRun: a run whose context is already cancelled (Ctrl-C)
// returns a record, marked interrupted, with nothing passed.
func TestInterruptedRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := modicaOptions()
	o.Doc, o.Format, o.Tags = modicaspec.MustDoc(), "", "@health"
	run, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Interrupted || run.Passed() || run.ExitCode() != 1 {
		t.Errorf("interrupted=%v passed=%v exit=%d; want true, false, 1", run.Interrupted, run.Passed(), run.ExitCode())
	}
	c := run.ScenarioCounts()
	if c.Passed != 0 || c.Skipped != c.Total {
		t.Errorf("counts %+v: want every scenario skipped", c)
	}
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			if s.Status != report.Skipped {
				t.Errorf("%s: %s, want skipped", s.Name, s.Status)
			}
		}
	}
}

// scenarioCaptures lists, sorted, the first capture group of re in the name
// of every scenario of the embedded features (outline rows expanded).
func scenarioCaptures(t *testing.T, doc *spec.Doc, re string) []string {
	t.Helper()
	o := modicaOptions()
	o.Doc, o.FS, o.Paths = doc, features.FS, []string{"."}
	run, _, err := skeleton(o, "")
	if err != nil {
		t.Fatal(err)
	}
	rx := regexp.MustCompile(re)
	var got []string
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			if m := rx.FindStringSubmatch(s.Name); m != nil {
				got = append(got, m[1])
			}
		}
	}
	sort.Strings(got)
	return got
}
