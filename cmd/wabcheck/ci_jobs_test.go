package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ghRun is one GitHub job being run.
type ghRun struct {
	r      *recipeRunner
	t      *testing.T
	name   string
	ws     string
	env    map[string]string // the workflow's and the job's env
	ctx    map[string]string // expression values
	path   []string          // folders steps added with $GITHUB_PATH
	action ghAction
	rec    jobRecord
}

// githubContext is what the job's expressions can read. Secrets and
// variables exist only for a job of the "staging" environment, as they
// would with environment secrets; the staging stand-in provides them.
func (r *recipeRunner) githubContext(job ghJob, base string) map[string]string {
	ctx := map[string]string{
		"github.action_path":                 r.repo,
		"github.action_ref":                  actionRef,
		"runner.temp":                        r.temp,
		"github.event.pull_request.base.sha": base,
	}
	if job.Environment == "staging" {
		ctx["secrets.WABCHECK_USER"] = r.staging["WABCHECK_USER"]
		ctx["secrets.WABCHECK_PASSWORD"] = r.staging["WABCHECK_PASSWORD"]
		ctx["vars.WABCHECK_TARGET"] = r.staging["WABCHECK_TARGET"]
	}
	return ctx
}

// githubJobBothWays runs a job; a spec gate also runs against a breaking
// change, where it must fail with exit 1 and still keep its report.
func (r *recipeRunner) githubJobBothWays(t *testing.T, name string, wf ghWorkflow, job ghJob, a ghAction) *jobRecord {
	t.Helper()
	rec := r.githubJob(t, name, wf, job, a, false)
	if rec.exitCode != 0 {
		t.Errorf("%s: failed with exit %d", name, rec.exitCode)
	}
	if rec.runs("wabcheck spec diff") {
		brk := r.githubJob(t, name+" (breaking change)", wf, job, a, true)
		if brk.exitCode != exitFailed || len(brk.artifacts) == 0 {
			t.Errorf("%s on a breaking change: exit %d, artifacts %v; want exit 1 and the report kept", name, brk.exitCode, brk.artifacts)
		}
	}
	return rec
}

func (r *recipeRunner) githubJob(t *testing.T, name string, wf ghWorkflow, job ghJob, a ghAction, breaking bool) *jobRecord {
	t.Helper()
	env := merged(wf.Env, job.Env)
	ws, base := r.workspace(t, env["VENDOR_SPEC"], breaking)
	g := &ghRun{r: r, t: t, name: name, ws: ws, env: env, ctx: r.githubContext(job, base), action: a}
	if len(job.Steps) == 0 {
		t.Errorf("%s: no steps", name)
	}
	for _, st := range job.Steps {
		if g.rec.exitCode != 0 && !runsAfterFailure(st.If) {
			continue
		}
		g.step(st)
	}
	return &g.rec
}

// exprContext adds env to the expression values (the env context).
func (g *ghRun) exprContext(env map[string]string) map[string]string {
	ctx := merged(g.ctx)
	for k, v := range env {
		ctx["env."+k] = v
	}
	return ctx
}

func (g *ghRun) step(st ghStep) {
	env, err := evalMap(merged(g.env, st.Env), g.exprContext(g.env))
	if err != nil {
		g.t.Errorf("%s: step %q env: %v", g.name, st.Name, err)
		return
	}
	with, err := evalMap(st.With, g.exprContext(env))
	if err != nil {
		g.t.Errorf("%s: step %q with: %v", g.name, st.Uses, err)
		return
	}
	switch {
	case st.Run != "":
		g.runScript(st.Run, st.WorkingDirectory, env)
	case st.Uses == "./" || strings.HasPrefix(st.Uses, "wabcheck/wabcheck@"):
		g.runAction(st, env, with)
	default:
		g.runThirdParty(st.Uses, with)
	}
}

// runThirdParty emulates the third-party actions the recipes use: checkout
// (the workspace is checked out already), setup-go (Go is on PATH), and the
// two publishers, whose paths must exist.
func (g *ghRun) runThirdParty(uses string, with map[string]string) {
	name, _, _ := strings.Cut(uses, "@")
	switch name {
	case "actions/checkout", "actions/setup-go":
	case "actions/upload-artifact":
		g.check(checkArtifact(g.ws, with["path"]))
		g.rec.artifacts = append(g.rec.artifacts, with["path"])
	case "mikepenz/action-junit-report":
		g.check(checkJUnit(filepath.Join(g.ws, with["report_paths"])))
		g.rec.junit = append(g.rec.junit, with["report_paths"])
	default:
		g.t.Errorf("%s: uses %s, which this test does not emulate", g.name, uses)
	}
}

func (g *ghRun) check(err error) {
	if err != nil {
		g.t.Errorf("%s: %v", g.name, err)
	}
}

// runAction runs action.yml's steps with the step's inputs; the steps see
// the calling step's env. It then wants `wabcheck version` on the PATH the
// action set up to print the action's ref.
func (g *ghRun) runAction(st ghStep, env, with map[string]string) {
	if strings.Contains(st.With["args"], "secrets.") {
		g.t.Errorf("%s: a secret in the action's args (a command line): pass it in env", g.name)
	}
	ctx := g.exprContext(env)
	for k, in := range g.action.Inputs {
		v, ok := with[k]
		if !ok && in.Required {
			g.t.Errorf("%s: the action's input %s is required", g.name, k)
		}
		if !ok {
			v = in.Default
		}
		ctx["inputs."+k] = v
	}
	for k := range with {
		if _, ok := g.action.Inputs[k]; !ok {
			g.t.Errorf("%s: the action has no input %q", g.name, k)
		}
	}
	for _, s := range g.action.Runs.Steps {
		if g.rec.exitCode != 0 && !runsAfterFailure(s.If) {
			continue
		}
		g.actionStep(s, env, ctx)
	}
}

func (g *ghRun) actionStep(s ghStep, env, ctx map[string]string) {
	if s.Uses != "" {
		if _, err := evalMap(s.With, ctx); err != nil || !strings.HasPrefix(s.Uses, "actions/setup-go@") {
			g.t.Errorf("action.yml: step uses %s (%v): only actions/setup-go is emulated", s.Uses, err)
		}
		return
	}
	if s.Shell != "bash" {
		g.t.Errorf("action.yml: step %q: a composite run step needs shell: bash", s.Name)
	}
	stepEnv, err := evalMap(s.Env, ctx)
	if err != nil {
		g.t.Errorf("action.yml: step %q env: %v", s.Name, err)
		return
	}
	g.runScript(s.Run, s.WorkingDirectory, merged(env, stepEnv))
	if strings.Contains(s.Run, "GITHUB_PATH") {
		g.checkVersion(actionRef)
	}
}

// checkVersion wants the wabcheck the job's PATH finds to print version.
func (g *ghRun) checkVersion(version string) {
	out, err := exec.Command(lookPath(g.path, "wabcheck"), "version").CombinedOutput()
	if err != nil || !versionOK(string(out), version) {
		g.t.Errorf("%s: wabcheck version after the build step: %v %q, want wabcheck %s", g.name, err, out, version)
	}
}

func lookPath(dirs []string, name string) string {
	for _, d := range dirs {
		if fi, err := os.Stat(filepath.Join(d, name)); err == nil && !fi.IsDir() {
			return filepath.Join(d, name)
		}
	}
	return name
}

// runScript parses the script's wabcheck lines, then runs it in bash with
// the job's $GITHUB_PATH folders, $GITHUB_PATH and $GITHUB_OUTPUT files.
func (g *ghRun) runScript(script, wd string, env map[string]string) {
	if strings.Contains(script, "${{") {
		g.t.Errorf("%s: ${{ }} inside run: (script injection); pass the value in env", g.name)
	}
	g.rec.parse(g.t, g.name, script, env)
	files, err := os.MkdirTemp(g.r.temp, "step-")
	if err != nil {
		g.t.Fatal(err)
	}
	pathFile := filepath.Join(files, "path")
	vars := merged(env, map[string]string{"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": g.ws,
		"GITHUB_PATH": pathFile, "GITHUB_OUTPUT": filepath.Join(files, "output"), "RUNNER_TEMP": g.r.temp})
	code, out := bash(script, filepath.Join(g.ws, wd), g.r.environ(vars, g.path))
	if added, err := os.ReadFile(pathFile); err == nil {
		g.path = append(strings.Fields(string(added)), g.path...)
	}
	if code != 0 {
		g.rec.exitCode = code
		g.t.Logf("%s: exit %d:\n%s", g.name, code, tail(out, 2000))
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// parse parses every wabcheck line of script with the command tree and
// records what the job runs.
func (rec *jobRecord) parse(t *testing.T, job, script string, env map[string]string) {
	t.Helper()
	for _, line := range wabcheckLines(script) {
		words, err := shellWords(line, env)
		if err == nil && len(words) < 2 {
			err = fmt.Errorf("no command")
		}
		if err != nil {
			t.Errorf("%s: %s: %v", job, line, err)
			continue
		}
		c, err := parseCommandLine(words[1:])
		if err != nil {
			t.Errorf("%s: %s: %v", job, strings.Join(words, " "), err)
			continue
		}
		rec.commands = append(rec.commands, c.CommandPath())
		if f := c.Flags().Lookup("target"); f != nil && f.Changed {
			rec.targets = true
		}
	}
}

// gitlabJobBothWays is githubJobBothWays for a GitLab job.
func (r *recipeRunner) gitlabJobBothWays(t *testing.T, name string, j glJob) *jobRecord {
	t.Helper()
	rec := r.gitlabJob(t, name, j, false)
	if rec.exitCode != 0 {
		t.Errorf("GitLab job %s: failed with exit %d", name, rec.exitCode)
	}
	if rec.runs("wabcheck spec diff") {
		brk := r.gitlabJob(t, name+" (breaking change)", j, true)
		if brk.exitCode != exitFailed || len(brk.artifacts) == 0 {
			t.Errorf("GitLab job %s on a breaking change: exit %d, artifacts %v; want exit 1 and the report kept", name, brk.exitCode, brk.artifacts)
		}
	}
	return rec
}

// gitlabJob runs before_script and script in one bash, as the runner does.
// The go install line is replaced by a build of this working tree with its
// ldflags; CI/CD variables of the staging environment come from the
// staging stand-in, for jobs of that environment only.
func (r *recipeRunner) gitlabJob(t *testing.T, name string, j glJob, breaking bool) *jobRecord {
	t.Helper()
	if want := "golang:" + goDirective(t); j.Image != want {
		t.Errorf("GitLab job %s: image %q, want %s (go.mod's Go)", name, j.Image, want)
	}
	ws, base := r.workspace(t, j.Variables["VENDOR_SPEC"], breaking)
	env := merged(j.Variables, map[string]string{"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": ws,
		"CI_MERGE_REQUEST_DIFF_BASE_SHA": base})
	if j.Environment.Name == "staging" {
		env = merged(env, r.staging)
	}
	var rec jobRecord
	var lines, path []string
	for _, line := range append(append([]string{}, j.BeforeScript...), j.Script...) {
		if strings.HasPrefix(line, "go install ") {
			path = append(path, r.goInstall(t, line, env))
			continue
		}
		lines = append(lines, line)
	}
	script := strings.Join(lines, "\n")
	rec.parse(t, "GitLab job "+name, script, env)
	code, out := bash(script, ws, r.environ(env, path))
	if rec.exitCode = code; code != 0 {
		t.Logf("GitLab job %s: exit %d:\n%s", name, code, tail(out, 2000))
	}
	if code == 0 || j.Artifacts.When == "always" {
		r.gitlabArtifacts(t, name, j, ws, &rec)
	}
	return &rec
}

func (r *recipeRunner) gitlabArtifacts(t *testing.T, name string, j glJob, ws string, rec *jobRecord) {
	t.Helper()
	for _, p := range j.Artifacts.Paths {
		if err := checkArtifact(ws, p); err != nil {
			t.Errorf("GitLab job %s: %v", name, err)
		}
		rec.artifacts = append(rec.artifacts, p)
	}
	if p := j.Artifacts.Reports.Junit; p != "" {
		if err := checkJUnit(filepath.Join(ws, p)); err != nil {
			t.Errorf("GitLab job %s: %v", name, err)
		}
		rec.junit = append(rec.junit, p)
	}
}

// goInstall stands in for `go install -ldflags … PKG@VERSION`: PKG must be
// this module's wabcheck command; it is built from the working tree with
// those ldflags (static and -trimpath, as the other builds of these tests,
// to share their build cache), and must then print VERSION. It returns the
// folder of the binary.
func (r *recipeRunner) goInstall(t *testing.T, line string, env map[string]string) string {
	t.Helper()
	if dir, ok := r.installed[line]; ok {
		return dir
	}
	words, err := shellWords(line, env)
	if err != nil || len(words) != 5 || strings.Join(words[:3], " ") != "go install -ldflags" || !strings.Contains(words[4], "@") {
		t.Fatalf("%s: want go install -ldflags FLAGS PKG@VERSION (%v)", line, err)
	}
	pkg, version, _ := strings.Cut(words[4], "@")
	if want := modulePath(t) + "/cmd/wabcheck"; pkg != want {
		t.Fatalf("%s: installs %s, want %s", line, pkg, want)
	}
	dir := filepath.Join(r.temp, fmt.Sprintf("gobin-%d", len(r.installed)))
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", words[3], "-o", filepath.Join(dir, "wabcheck"), "./cmd/wabcheck")
	cmd.Dir, cmd.Env = r.repo, append(r.environ(nil, nil), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	out, err := exec.Command(filepath.Join(dir, "wabcheck"), "version").CombinedOutput()
	if err != nil || !versionOK(string(out), version) {
		t.Errorf("%s: the binary prints %q (%v), want wabcheck %s", line, out, err, version)
	}
	r.installed[line] = dir
	return dir
}

func modulePath(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^module (\S+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod has no module line")
	}
	return string(m[1])
}
