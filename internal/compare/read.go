package compare

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/load/summary"
)

// The summary.json "tool" values of the runs compare reads.
const (
	toolLoad      = "wabcheck load"
	toolLoadMerge = "wabcheck load merge"
)

// Kind says what produced a run folder.
type Kind string

// The kinds of run compare reads.
const (
	KindConform Kind = "conform"
	KindLoad    Kind = "load"
)

// Read reads every folder in dirs, in order, and compares them. Two or
// more folders are needed; a folder that is not a wabcheck conform or load
// run, or whose files cannot be read, is an error naming the folder and
// the file.
func Read(dirs []string) (*Comparison, error) {
	if len(dirs) < 2 {
		return nil, fmt.Errorf("want two or more run folders to compare, got %d", len(dirs))
	}
	var conform []*ConformRun
	var loads []*LoadRun
	for i, dir := range dirs {
		src := Source{Index: i + 1, Dir: dir, Name: folderName(dir)}
		c, l, err := readDir(src)
		if err != nil {
			return nil, err
		}
		if c != nil {
			conform = append(conform, c)
		} else {
			loads = append(loads, l)
		}
	}
	return New(conform, loads), nil
}

// folderName is the folder's own name, symbolic links (reports/latest)
// resolved.
func folderName(dir string) string {
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return filepath.Base(filepath.Clean(dir))
}

// readDir reads one run folder as a conform or a load run.
func readDir(src Source) (*ConformRun, *LoadRun, error) {
	dir := src.Dir
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("%s: no such folder", dir)
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	case !fi.IsDir():
		return nil, nil, fmt.Errorf("%s: not a folder; want a wabcheck conform or load run folder", dir)
	}
	var head struct {
		Tool string `json:"tool"`
	}
	if err := readJSON(dir, "summary.json", &head); err != nil {
		return nil, nil, err
	}
	switch head.Tool {
	case report.Tool:
		c, err := readConform(src)
		return c, nil, err
	case toolLoad, toolLoadMerge:
		l, err := readLoad(src)
		return nil, l, err
	case "":
		return nil, nil, fmt.Errorf("%s: summary.json has no \"tool\" field; want a wabcheck conform or load run folder", dir)
	}
	return nil, nil, fmt.Errorf("%s: summary.json is from %q, not a wabcheck conform or load run", dir, head.Tool)
}

// readJSON decodes dir/name into v; a missing file or invalid JSON is an
// error naming both.
func readJSON(dir, name string, v any) error {
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: no %s; not a wabcheck run folder", dir, name)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	err = json.Unmarshal(data, v)
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: not valid JSON: %w", path, err)
	case err != nil:
		return fmt.Errorf("%s: not what a wabcheck run writes: %w", path, err)
	}
	return nil
}

func readConform(src Source) (*ConformRun, error) {
	var sum report.Summary
	if err := readJSON(src.Dir, "summary.json", &sum); err != nil {
		return nil, err
	}
	var run report.Run
	if err := readJSON(src.Dir, "run.json", &run); err != nil {
		return nil, err
	}
	return NewConformRun(src, sum, &run), nil
}

func readLoad(src Source) (*LoadRun, error) {
	var sum summary.Summary
	if err := readJSON(src.Dir, "summary.json", &sum); err != nil {
		return nil, err
	}
	return NewLoadRun(src, &sum), nil
}
