package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// This file runs the CI recipes of docs/ci.md (GitHub Actions workflows
// using action.yml, and a .gitlab-ci.yml) on this machine, so that the
// documented commands cannot drift from the CLI. ci_shell_test.go holds the
// small shell and expression helpers it needs.

// ghStep is a step of a workflow job or of the composite action.
type ghStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	With             map[string]string `yaml:"with"`
	Env              map[string]string `yaml:"env"`
}

type ghJob struct {
	RunsOn      string            `yaml:"runs-on"`
	Environment string            `yaml:"environment"`
	If          string            `yaml:"if"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Steps       []ghStep          `yaml:"steps"`
}

type ghWorkflow struct {
	Name        string            `yaml:"name"`
	On          yaml.Node         `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]ghJob  `yaml:"jobs"`
}

type ghInput struct {
	Description string `yaml:"description"`
	Required    bool   `yaml:"required"`
	Default     string `yaml:"default"`
}

type ghAction struct {
	Name        string             `yaml:"name"`
	Description string             `yaml:"description"`
	Branding    map[string]string  `yaml:"branding"`
	Inputs      map[string]ghInput `yaml:"inputs"`
	Runs        struct {
		Using string   `yaml:"using"`
		Steps []ghStep `yaml:"steps"`
	} `yaml:"runs"`
}

// glJob is a GitLab job after `extends` has been merged in.
type glJob struct {
	Extends      any               `yaml:"extends"`
	Image        string            `yaml:"image"`
	Stage        string            `yaml:"stage"`
	Variables    map[string]string `yaml:"variables"`
	BeforeScript []string          `yaml:"before_script"`
	Script       []string          `yaml:"script"`
	Rules        []map[string]any  `yaml:"rules"`
	Environment  struct {
		Name   string `yaml:"name"`
		Action string `yaml:"action"`
	} `yaml:"environment"`
	Artifacts struct {
		When     string   `yaml:"when"`
		ExpireIn string   `yaml:"expire_in"`
		Paths    []string `yaml:"paths"`
		Reports  struct {
			Junit string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

// decodeKnown decodes YAML into v, rejecting keys v has no field for (a
// misspelt key in the docs fails here rather than being ignored).
func decodeKnown(text string, v any) error {
	d := yaml.NewDecoder(strings.NewReader(text))
	d.KnownFields(true)
	return d.Decode(v)
}

// mdBlock is a fenced code block of a Markdown file.
type mdBlock struct {
	line int
	lang string
	text string
}

func fencedBlocks(md string) []mdBlock {
	var out []mdBlock
	var cur *mdBlock
	for i, line := range strings.Split(md, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &mdBlock{line: i + 1, lang: strings.TrimSpace(line[3:])}
		case cur != nil && strings.TrimSpace(line) == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	return out
}

// ciRecipes holds what docs/ci.md and action.yml define.
type ciRecipes struct {
	github map[string]ghWorkflow // by "docs/ci.md:LINE"
	gitlab map[string]glJob      // by job name
	action ghAction
}

func loadRecipes(t *testing.T) ciRecipes {
	t.Helper()
	r := ciRecipes{github: map[string]ghWorkflow{}, gitlab: map[string]glJob{}}
	md, err := os.ReadFile(filepath.Join(repoRoot, "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range fencedBlocks(string(md)) {
		if b.lang == "yaml" {
			r.addBlock(t, b)
		}
	}
	action, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeKnown(string(action), &r.action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return r
}

func (r *ciRecipes) addBlock(t *testing.T, b mdBlock) {
	t.Helper()
	where := fmt.Sprintf("docs/ci.md:%d", b.line)
	var top map[string]any
	if err := yaml.Unmarshal([]byte(b.text), &top); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if _, ok := top["jobs"]; ok {
		var wf ghWorkflow
		if err := decodeKnown(b.text, &wf); err != nil {
			t.Fatalf("%s: GitHub workflow: %v", where, err)
		}
		r.github[where] = wf
		return
	}
	jobs, err := gitlabJobs(top)
	if err != nil || len(jobs) == 0 {
		t.Fatalf("%s: neither a GitHub workflow (jobs:) nor GitLab jobs (script:): %v", where, err)
	}
	for name, j := range jobs {
		r.gitlab[name] = j
	}
}

// gitlabKeywords are the top-level keys of .gitlab-ci.yml that are not jobs.
var gitlabKeywords = []string{"default", "include", "stages", "variables", "workflow", "image", "services", "cache", "before_script", "after_script"}

// gitlabJobs returns the jobs of a .gitlab-ci.yml with `extends` merged in
// (hashes merge deeply, other values are replaced, as GitLab does).
func gitlabJobs(top map[string]any) (map[string]glJob, error) {
	out := map[string]glJob{}
	for name := range top {
		if strings.HasPrefix(name, ".") || slices.Contains(gitlabKeywords, name) {
			continue
		}
		merged, err := extendJob(top, name, 0)
		if err != nil {
			return nil, err
		}
		text, err := yaml.Marshal(merged)
		if err != nil {
			return nil, err
		}
		var j glJob
		if err := decodeKnown(string(text), &j); err != nil {
			return nil, fmt.Errorf("job %s: %w", name, err)
		}
		out[name] = j
	}
	return out, nil
}

func extendJob(top map[string]any, name string, depth int) (map[string]any, error) {
	job, ok := top[name].(map[string]any)
	if !ok || depth > 10 {
		return nil, fmt.Errorf("job %q: not a mapping (or extends loops)", name)
	}
	var bases []string
	switch e := job["extends"].(type) {
	case string:
		bases = []string{e}
	case []any:
		for _, b := range e {
			bases = append(bases, fmt.Sprint(b))
		}
	}
	merged := map[string]any{}
	for _, b := range bases {
		base, err := extendJob(top, b, depth+1)
		if err != nil {
			return nil, err
		}
		merged = deepMerge(merged, base)
	}
	return deepMerge(merged, job), nil
}

func deepMerge(dst, src map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range src {
		a, aok := out[k].(map[string]any)
		b, bok := v.(map[string]any)
		if aok && bok {
			out[k] = deepMerge(a, b)
			continue
		}
		out[k] = v
	}
	return out
}

// jobRecord is what running one job saw.
type jobRecord struct {
	commands  []string // command paths of the wabcheck lines ("wabcheck conform")
	targets   bool     // a conform or load line had --target
	artifacts []string // artifact paths found after the run
	junit     []string // JUnit files published after the run
	exitCode  int      // of the step or script that failed (0: none failed)
}

func (j *jobRecord) runs(cmd string) bool { return slices.Contains(j.commands, cmd) }

// checkJUnit parses a JUnit XML file and wants at least one test case.
func checkJUnit(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	n := 0
	for _, s := range doc.Suites {
		n += len(s.Cases)
	}
	if n == 0 {
		return fmt.Errorf("%s: no test case", path)
	}
	return nil
}

// checkArtifact wants path (relative to ws) to be a file or a non-empty folder.
func checkArtifact(ws, path string) error {
	p := filepath.Join(ws, path)
	fi, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("artifact %s: %w", path, err)
	}
	if fi.IsDir() {
		if es, _ := os.ReadDir(p); len(es) == 0 {
			return fmt.Errorf("artifact %s: empty folder", path)
		}
	}
	return nil
}

// stagingStandIn starts the simulator on loopback to stand in for the
// staging endpoint; its credentials stand in for the CI's secrets.
func stagingStandIn(t *testing.T) (url, user, password string) {
	t.Helper()
	doc := modicaspec.MustDoc()
	cfg := sim.DefaultConfig()
	s, err := sim.New(doc, nil, modicasim.New(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		srv.Close()
		_, _ = s.Close(t.Context())
	})
	return srv.URL + doc.BasePath(), cfg.User, cfg.Password
}

// Item 5 of issue 12: the CI recipes of docs/ci.md run as documented.
func TestCIRecipe(t *testing.T) {
	t.Parallel()
	recipes := loadRecipes(t)
	r := newRecipeRunner(t)
	t.Run("github", func(t *testing.T) {
		if len(recipes.github) < 3 {
			t.Errorf("%d GitHub workflows in docs/ci.md, want one per use (3)", len(recipes.github))
		}
		var seen []*jobRecord
		for where, wf := range recipes.github {
			for _, name := range sortedKeys(wf.Jobs) {
				seen = append(seen, r.githubJobBothWays(t, where+" "+name, wf, wf.Jobs[name], recipes.action))
			}
		}
		checkUses(t, "GitHub", seen)
	})
	t.Run("gitlab", func(t *testing.T) {
		var seen []*jobRecord
		for _, name := range sortedKeys(recipes.gitlab) {
			seen = append(seen, r.gitlabJobBothWays(t, name, recipes.gitlab[name]))
		}
		checkUses(t, "GitLab", seen)
	})
}

// checkUses wants the three uses among the jobs of one CI, each publishing
// its reports: the spec gate, conform against the simulator, and conform
// against a target; the conform jobs also publish junit.xml.
func checkUses(t *testing.T, ci string, jobs []*jobRecord) {
	t.Helper()
	var gate, simJob, staging bool
	for _, j := range jobs {
		conform := j.runs("wabcheck conform")
		gate = gate || j.runs("wabcheck spec diff")
		simJob = simJob || conform && !j.targets
		staging = staging || conform && j.targets
		if len(j.artifacts) == 0 {
			t.Errorf("%s: a job running %v keeps no report as an artifact", ci, j.commands)
		}
		if conform && len(j.junit) == 0 {
			t.Errorf("%s: a job running %v publishes no junit.xml", ci, j.commands)
		}
	}
	if !gate || !simJob || !staging {
		t.Errorf("%s recipes: spec gate %v, conform against the simulator %v, against staging %v: want all three", ci, gate, simJob, staging)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// specChange edits the published spec: a description (not breaking) or a
// request parameter's maxLength (breaking for clients).
func specChange(published []byte, breaking bool) []byte {
	if breaking {
		return bytes.Replace(published, []byte("            maxLength: 255\n"), []byte("            maxLength: 100\n"), 1)
	}
	return bytes.Replace(published, []byte("description: Download message media."), []byte("description: Download the media of a message."), 1)
}

// versionOK matches what `wabcheck version` prints for a version.
func versionOK(out, version string) bool {
	return regexp.MustCompile(`(?m)^wabcheck ` + regexp.QuoteMeta(version) + `$`).MatchString(out)
}
