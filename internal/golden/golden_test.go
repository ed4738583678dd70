package golden

import (
	"fmt"
	"strings"
	"testing"
)

// errorsOf keeps the errors Check reports instead of failing.
type errorsOf struct {
	testing.TB
	errs []string
}

func (e *errorsOf) Errorf(format string, a ...any) {
	e.errs = append(e.errs, fmt.Sprintf(format, a...))
}

func TestCheckComparesWithTheGoldenFile(t *testing.T) {
	if *update {
		t.Skip("-update rewrites instead of comparing")
	}
	rec := &errorsOf{TB: t}
	Check(rec, "sample.golden.txt", []byte("golden sample\n"))
	if len(rec.errs) != 0 {
		t.Errorf("the same bytes: %q", rec.errs)
	}
	Check(rec, "sample.golden.txt", []byte("something else\n"))
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "sample.golden.txt differs") {
		t.Errorf("other bytes: errors %q, want one saying the file differs", rec.errs)
	}
}
