package main

import (
	"runtime"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/ociimage"
)

func TestParseDefaults(t *testing.T) {
	o, err := parse(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if o.version != "dev" || o.arch != runtime.GOARCH || o.out != "bin/wabcheck-image.tar" || o.tag != ociimage.DefaultTag || !o.created.IsZero() {
		t.Errorf("defaults %+v", o)
	}
}

func TestParseSourceDateEpoch(t *testing.T) {
	o, err := parse([]string{"-version", "v1", "-arch", "arm64"}, "1700000000")
	if err != nil || !o.created.Equal(time.Unix(1700000000, 0)) || o.arch != "arm64" || o.version != "v1" {
		t.Errorf("%+v %v", o, err)
	}
}

func TestParseRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		args  []string
		epoch string
	}{
		"bad SOURCE_DATE_EPOCH": {nil, "yesterday"},
		"unknown flag":          {[]string{"-push"}, ""},
		"extra argument":        {[]string{"out.tar"}, ""},
	} {
		if _, err := parse(tc.args, tc.epoch); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
