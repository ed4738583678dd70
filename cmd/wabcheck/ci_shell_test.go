package main

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// actionRef stands in for github.action_ref: the version the action's
// build step gives wabcheck.
const actionRef = "v0.0.0-citest"

// recipeRunner runs CI jobs locally: bash for the shell steps, a small
// emulation for the rest (see runStep and gitlabJob).
type recipeRunner struct {
	repo      string // the module root, absolute: the action's source
	temp      string // runner.temp, shared by every job of the test
	published []byte // the spec the fixture repositories start from
	staging   map[string]string
	env       []string          // the environment every step starts from
	installed map[string]string // go install line → folder of the stand-in
	shim      string            // folder of timingShim, first on every step's PATH
}

func newRecipeRunner(t *testing.T) *recipeRunner {
	t.Helper()
	repo, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	published, err := os.ReadFile(filepath.Join(repo, "spec", "modica-wab-v1.2.0.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	url, user, password := stagingStandIn(t)
	r := &recipeRunner{
		repo: repo, temp: t.TempDir(), published: published, installed: map[string]string{},
		staging: map[string]string{"WABCHECK_TARGET": url, "WABCHECK_USER": user, "WABCHECK_PASSWORD": password},
		env:     cleanEnv(os.Environ()),
	}
	r.shim = filepath.Join(r.temp, "shim")
	if err := os.MkdirAll(r.shim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.shim, "wabcheck"), []byte(timingShim), 0o755); err != nil {
		t.Fatal(err)
	}
	return r
}

// timingShim is found first on every step's PATH as wabcheck. It runs the
// wabcheck that comes next on PATH (the one the recipe installed) with the
// recipe's command line; conform only gets its own wall-clock budgets
// (response latency, receipt and reply timeouts) lifted, so that a loaded
// test machine cannot fail a recipe that is right.
const timingShim = `#!/usr/bin/env bash
PATH=${PATH#"$(dirname "$0"):"}
if [ "${1:-}" = conform ]; then
  exec wabcheck "$@" --max-latency=-1s --dlr-timeout=2m --reply-timeout=2m
fi
exec wabcheck "$@"
`

// cleanEnv drops CI, GitHub, GitLab and wabcheck variables, and every PATH
// folder that holds a wabcheck, so only what a recipe installs is found.
func cleanEnv(environ []string) []string {
	var out []string
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case k == "CI" || strings.HasPrefix(k, "WABCHECK_") || strings.HasPrefix(k, "GITHUB_") ||
			strings.HasPrefix(k, "RUNNER_") || strings.HasPrefix(k, "CI_") || strings.HasPrefix(k, "GITLAB_"):
		case k == "PATH":
			dirs := slices.DeleteFunc(filepath.SplitList(v), func(d string) bool {
				_, err := os.Stat(filepath.Join(d, "wabcheck"))
				return err == nil
			})
			out = append(out, "PATH="+strings.Join(dirs, string(os.PathListSeparator)))
		default:
			out = append(out, kv)
		}
	}
	return append(out, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
}

// environ returns the step environment: r.env, then vars, with the shim
// and then path in front of PATH.
func (r *recipeRunner) environ(vars map[string]string, path []string) []string {
	out := slices.Clone(r.env)
	for i, kv := range out {
		if p, ok := strings.CutPrefix(kv, "PATH="); ok {
			dirs := append(append([]string{r.shim}, path...), p)
			out[i] = "PATH=" + strings.Join(dirs, string(os.PathListSeparator))
		}
	}
	for _, k := range sortedKeys(vars) {
		out = append(out, k+"="+vars[k])
	}
	return out
}

// bash runs script as GitHub's and GitLab's bash shells do (-e, pipefail)
// and returns its exit code and output.
func bash(script, dir string, env []string) (int, string) {
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		return -1, err.Error()
	}
	return 0, string(out)
}

// workspace is a fresh checkout: for a job that names a VENDOR_SPEC, a git
// repository whose base commit has the published spec there and whose head
// commit changes it (breaking for clients or not). It returns the folder
// and the base commit.
func (r *recipeRunner) workspace(t *testing.T, specPath string, breaking bool) (string, string) {
	t.Helper()
	dir := t.TempDir()
	if specPath == "" {
		return dir, ""
	}
	changed := specChange(r.published, breaking)
	if bytes.Equal(changed, r.published) {
		t.Fatal("specChange changed nothing: the published spec moved")
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-c", "user.name=wabcheck", "-c", "user.email=ci@wabcheck.invalid"}, args...)...)
		cmd.Dir, cmd.Env = dir, r.env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(data []byte) {
		p := filepath.Join(dir, specPath)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q")
	write(r.published)
	git("add", "-A")
	git("commit", "-q", "-m", "the vendor's spec")
	base := git("rev-parse", "HEAD")
	write(changed)
	git("commit", "-q", "-am", "the vendor's new spec")
	return dir, base
}

var ghExpr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// evalExprs replaces ${{ expr }} with its value from ctx; an expression
// ctx does not know is an error (a context this job would not have, or
// one this test does not emulate yet).
func evalExprs(s string, ctx map[string]string) (string, error) {
	var err error
	out := ghExpr.ReplaceAllStringFunc(s, func(m string) string {
		key := ghExpr.FindStringSubmatch(m)[1]
		v, ok := ctx[key]
		if !ok && err == nil {
			err = fmt.Errorf("${{ %s }}: not available here (or not emulated by this test)", key)
		}
		return v
	})
	return out, err
}

func evalMap(m map[string]string, ctx map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range m {
		e, err := evalExprs(v, ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = e
	}
	return out, nil
}

// merged returns the union of ms, later maps winning.
func merged(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// runsAfterFailure: a step whose if: says so still runs after a failed step.
func runsAfterFailure(cond string) bool {
	return strings.Contains(cond, "always()") || strings.Contains(cond, "!cancelled()") || strings.Contains(cond, "failure()")
}

// wabcheckLines returns the command lines of script that run wabcheck,
// continuation lines joined.
func wabcheckLines(script string) []string {
	var out []string
	joined := strings.ReplaceAll(script, "\\\n", " ")
	for _, line := range strings.Split(joined, "\n") {
		line = strings.TrimSpace(line)
		if line == "wabcheck" || strings.HasPrefix(line, "wabcheck ") {
			out = append(out, line)
		}
	}
	return out
}

// shellWords splits one simple command as bash would: quotes, backslashes,
// and $VAR / ${VAR} from env (an unset variable is an error; an unquoted
// expansion splits on whitespace). It stops at a comment or an operator
// (; | & < >); command substitution is not supported.
func shellWords(line string, env map[string]string) ([]string, error) {
	var s wordSplitter
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case s.quote == '\'':
			s.quoted(c)
		case c == '`' || strings.HasPrefix(line[i:], "$("):
			return nil, fmt.Errorf("%q: command substitution is not supported here", line)
		case c == '$':
			n, err := s.expand(line[i+1:], env)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", line, err)
			}
			i += n
		case c == '\\' && s.quote == 0 && i+1 < len(line):
			s.add(line[i+1])
			i++
		case s.quote == 0 && strings.IndexByte(";|&<>", c) >= 0, s.quote == 0 && c == '#' && !s.inWord:
			return s.done()
		default:
			s.plain(c)
		}
	}
	if s.quote != 0 {
		return nil, fmt.Errorf("%q: unterminated quote", line)
	}
	return s.done()
}

// wordSplitter is shellWords' state.
type wordSplitter struct {
	words  []string
	cur    strings.Builder
	inWord bool
	quote  byte
}

func (s *wordSplitter) add(c byte) { s.cur.WriteByte(c); s.inWord = true }

func (s *wordSplitter) end() {
	if s.inWord {
		s.words = append(s.words, s.cur.String())
	}
	s.cur.Reset()
	s.inWord = false
}

func (s *wordSplitter) done() ([]string, error) { s.end(); return s.words, nil }

func (s *wordSplitter) quoted(c byte) {
	if c == s.quote {
		s.quote = 0
		return
	}
	s.add(c)
}

func (s *wordSplitter) plain(c byte) {
	switch {
	case s.quote == '"' && c == '"':
		s.quote = 0
	case s.quote == 0 && (c == '\'' || c == '"'):
		s.quote, s.inWord = c, true
	case s.quote == 0 && (c == ' ' || c == '\t'):
		s.end()
	default:
		s.add(c)
	}
}

var shellVar = regexp.MustCompile(`^(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))`)

// expand reads a variable name after '$' and adds its value; it returns
// how many bytes of rest it used.
func (s *wordSplitter) expand(rest string, env map[string]string) (int, error) {
	m := shellVar.FindStringSubmatch(rest)
	if m == nil {
		s.add('$')
		return 0, nil
	}
	name := m[1] + m[2]
	v, ok := env[name]
	if !ok {
		return 0, fmt.Errorf("$%s is not set in this step's environment", name)
	}
	if s.quote == '"' {
		s.cur.WriteString(v)
		return len(m[0]), nil
	}
	for i, f := range strings.Fields(v) {
		if i > 0 {
			s.end()
		}
		s.cur.WriteString(f)
		s.inWord = true
	}
	return len(m[0]), nil
}

func TestShellWords(t *testing.T) {
	env := map[string]string{"A": "x y", "B": "b"}
	for line, want := range map[string]string{
		`wabcheck conform --tags "@a,@b" --x 'it''s'`: `wabcheck|conform|--tags|@a,@b|--x|its`,
		`wabcheck $A "$A" ${B}c "" # comment`:         `wabcheck|x|y|x y|bc|`,
		`wabcheck diff a\ b > out.txt`:                `wabcheck|diff|a b`,
	} {
		got, err := shellWords(line, env)
		if err != nil || strings.Join(got, "|") != want {
			t.Errorf("shellWords(%s) = %q, %v; want %s", line, got, err, want)
		}
	}
	for _, bad := range []string{`wabcheck $UNSET`, `wabcheck "open`, "wabcheck $(date)"} {
		if _, err := shellWords(bad, env); err == nil {
			t.Errorf("shellWords(%s): no error", bad)
		}
	}
}
