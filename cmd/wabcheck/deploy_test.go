package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/wabcheck/wabcheck/internal/ociimage"
	"github.com/wabcheck/wabcheck/load"
	"github.com/wabcheck/wabcheck/load/profiles"
)

// manifestDir is deploy/k8s, seen from this package.
const manifestDir = "../../deploy/k8s"

// manifest is one decoded document of a file in deploy/k8s.
type manifest struct {
	where string // file#document
	obj   any    // *batchv1.Job, *corev1.PersistentVolumeClaim, *corev1.Secret
}

// newObject returns an empty object of the API type a document declares.
// A kind the deploy folder does not use yet fails: add it here.
func newObject(apiVersion, kind string) (any, error) {
	switch apiVersion + " " + kind {
	case "batch/v1 Job":
		return &batchv1.Job{}, nil
	case "v1 PersistentVolumeClaim":
		return &corev1.PersistentVolumeClaim{}, nil
	case "v1 Secret":
		return &corev1.Secret{}, nil
	case "v1 ConfigMap":
		return &corev1.ConfigMap{}, nil
	case "v1 Service":
		return &corev1.Service{}, nil
	}
	return nil, fmt.Errorf("apiVersion %q kind %q: not a type this test decodes (add it to newObject)", apiVersion, kind)
}

// decodeStrict decodes one YAML document into its Kubernetes API type the
// way the API server's strict field validation does: duplicate keys,
// unknown fields and fields in the wrong case are errors. An empty document
// (only comments) gives nil.
func decodeStrict(doc []byte) (any, error) {
	j, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return nil, err
	}
	if string(j) == "null" {
		return nil, nil
	}
	var tm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(j, &tm); err != nil {
		return nil, err
	}
	obj, err := newObject(tm.APIVersion, tm.Kind)
	if err != nil {
		return nil, err
	}
	strict, err := kjson.UnmarshalStrict(j, obj, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		return nil, err
	}
	if len(strict) > 0 {
		return nil, fmt.Errorf("%s: %v", tm.Kind, strict)
	}
	return obj, nil
}

var yamlDocSeparator = regexp.MustCompile(`(?m)^---[ \t]*(#.*)?$`)

// loadManifests decodes every document of every file in dir; any file but
// README.md must be YAML with at least one object.
func loadManifests(t *testing.T, dir string) []manifest {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []manifest
	for _, e := range entries {
		if e.IsDir() || e.Name() == "README.md" {
			continue
		}
		if ext := filepath.Ext(e.Name()); ext != ".yaml" && ext != ".yml" {
			t.Errorf("%s: only YAML manifests and README.md belong in %s", e.Name(), dir)
			continue
		}
		out = append(out, decodeFile(t, filepath.Join(dir, e.Name()))...)
	}
	return out
}

func decodeFile(t *testing.T, path string) []manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []manifest
	for i, doc := range yamlDocSeparator.Split(string(data), -1) {
		where := fmt.Sprintf("%s#%d", filepath.Base(path), i)
		obj, err := decodeStrict([]byte(doc))
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		if obj != nil {
			out = append(out, manifest{where: where, obj: obj})
		}
	}
	if len(out) == 0 && !t.Failed() {
		t.Errorf("%s: no Kubernetes object in it", filepath.Base(path))
	}
	return out
}

// Item 4 of issue 12: every file of deploy/k8s decodes strictly into the
// Kubernetes API types.
func TestDeployManifestsDecodeStrictly(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	got := map[string]bool{}
	for _, m := range ms {
		got[fmt.Sprintf("%T", m.obj)] = true
	}
	for _, want := range []string{"*v1.Job", "*v1.PersistentVolumeClaim", "*v1.Secret"} {
		if !got[want] {
			t.Errorf("no %s among %s's manifests", want, manifestDir)
		}
	}
	if n := len(jobs(ms)); n != 2 {
		t.Errorf("%d Jobs in %s, want 2 (load and merge)", n, manifestDir)
	}
}

// The strict decoder is what makes a misspelt field fail; this proves it does.
func TestDeployManifestDecoderRejectsWhatTheAPIServerRejects(t *testing.T) {
	const job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: i}]\n"
	if _, err := decodeStrict([]byte(job)); err != nil {
		t.Fatalf("valid Job: %v", err)
	}
	for name, doc := range map[string]string{
		"unknown field":   strings.Replace(job, "restartPolicy", "restartPolicy: Never\n      retsartPolicy", 1),
		"wrong case":      strings.Replace(job, "restartPolicy", "restartpolicy", 1),
		"duplicate key":   strings.Replace(job, "metadata: {name: j}", "metadata: {name: j, name: k}", 1),
		"wrong type":      strings.Replace(job, "spec:\n  template", "spec:\n  completions: three\n  template", 1),
		"unknown kind":    strings.Replace(job, "kind: Job", "kind: Jobb", 1),
		"wrong version":   strings.Replace(job, "batch/v1", "batch/v2", 1),
		"field misplaced": strings.Replace(job, "metadata: {name: j}", "metadata: {name: j, completions: 3}", 1),
	} {
		if _, err := decodeStrict([]byte(doc)); err == nil {
			t.Errorf("%s: decoded without an error:\n%s", name, doc)
		}
	}
}

func jobs(ms []manifest) map[string]*batchv1.Job {
	out := map[string]*batchv1.Job{}
	for _, m := range ms {
		if j, ok := m.obj.(*batchv1.Job); ok {
			out[j.Name] = j
		}
	}
	return out
}

// parseCommandLine parses argv (without the program name) with wabcheck's
// own command tree, without running anything: the command must exist and
// be runnable, every flag must exist and its value parse, and the
// positional arguments and required flags must satisfy the command.
func parseCommandLine(argv []string) (*cobra.Command, error) {
	root := newRootCmd(io.Discard, io.Discard)
	c, rest, err := root.Find(argv)
	if err != nil {
		return nil, err
	}
	if !c.Runnable() {
		return nil, fmt.Errorf("%q is not a command that runs", c.CommandPath())
	}
	if err := c.ParseFlags(rest); err != nil {
		return nil, fmt.Errorf("%s: %w", c.CommandPath(), err)
	}
	for _, check := range []func() error{
		func() error { return c.ValidateArgs(c.Flags().Args()) },
		c.ValidateRequiredFlags,
		c.ValidateFlagGroups,
	} {
		if err := check(); err != nil {
			return nil, fmt.Errorf("%s: %w", c.CommandPath(), err)
		}
	}
	return c, nil
}

func TestParseCommandLineRejectsWhatWabcheckRejects(t *testing.T) {
	for _, ok := range [][]string{
		{"load", "--profile=soak", "--shard=0/3", "--report-dir=/r"},
		{"load", "merge", "--report-dir=/m", "/r/0", "/r/1"},
		{"conform", "--tags", "@health", "--report-dir", "x"},
		{"spec", "diff", "a.yaml", "b.yaml", "--fail-on", "breaking"},
	} {
		if _, err := parseCommandLine(ok); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	for _, bad := range [][]string{
		{"load", "--profiles=soak"},          // renamed flag
		{"load", "--shard=0/3"},              // --profile is required
		{"load", "--profile=soak", "extra"},  // no positional arguments
		{"lode", "--profile=soak"},           // no such command
		{"conform", "--timeout", "soon"},     // not a duration
		{"spec", "diff", "only-one.yaml"},    // two specs needed
		{"spec"},                             // a group, not a command
		{"conform", "--report-dir"},          // flag without its value
		{"load", "--profile=x", "--rate=ab"}, // not a number
	} {
		if _, err := parseCommandLine(bad); err == nil {
			t.Errorf("%v: parsed without an error", bad)
		}
	}
}

// containerArgv is what runs in the container: the entrypoint's arguments.
func containerArgv(t *testing.T, c corev1.Container) []string {
	t.Helper()
	if len(c.Command) == 0 {
		return c.Args
	}
	if c.Command[0] != ociimage.Entrypoint {
		t.Errorf("container %s: command %q does not start with the image's entrypoint %s", c.Name, c.Command, ociimage.Entrypoint)
	}
	return append(append([]string{}, c.Command[1:]...), c.Args...)
}

// podEnv resolves a container's environment as the kubelet would for the
// pod of completion index, with placeholders for secrets.
func podEnv(c corev1.Container, index int) (map[string]string, error) {
	env := map[string]string{"JOB_COMPLETION_INDEX": strconv.Itoa(index)}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			v, err := expandK8s(e.Value, env)
			if err != nil {
				return nil, fmt.Errorf("env %s: %w", e.Name, err)
			}
			env[e.Name] = v
		case e.ValueFrom.FieldRef != nil && strings.Contains(e.ValueFrom.FieldRef.FieldPath, "job-completion-index"):
			env[e.Name] = strconv.Itoa(index)
		default:
			env[e.Name] = "from-" + e.Name
		}
	}
	return env, nil
}

// expandK8s expands $(VAR) references as Kubernetes does in command, args
// and env values ($$ is a literal $). A reference to a variable that is not
// defined is left as it is by Kubernetes, which here is an error.
func expandK8s(s string, env map[string]string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "$$"):
			b.WriteByte('$')
			i++
		case strings.HasPrefix(s[i:], "$("):
			end := strings.IndexByte(s[i:], ')')
			if end < 0 {
				return "", fmt.Errorf("%q: unterminated $(", s)
			}
			v, ok := env[s[i+2:i+end]]
			if !ok {
				return "", fmt.Errorf("%q: $(%s) is not defined in the container's env", s, s[i+2:i+end])
			}
			b.WriteString(v)
			i += end
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), nil
}

// jobArgv returns the argv of every pod of j (one per completion index of
// an Indexed Job), expanded and parsed with wabcheck's command tree.
func jobArgv(t *testing.T, j *batchv1.Job) [][]string {
	t.Helper()
	cs := j.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("Job %s: %d containers, want 1", j.Name, len(cs))
	}
	pods := 1
	if j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.IndexedCompletion && j.Spec.Completions != nil {
		pods = int(*j.Spec.Completions)
	}
	var out [][]string
	for i := range pods {
		env, err := podEnv(cs[0], i)
		if err != nil {
			t.Fatalf("Job %s: %v", j.Name, err)
		}
		var argv []string
		for _, a := range containerArgv(t, cs[0]) {
			v, err := expandK8s(a, env)
			if err != nil {
				t.Fatalf("Job %s: %v", j.Name, err)
			}
			argv = append(argv, v)
		}
		if _, err := parseCommandLine(argv); err != nil {
			t.Errorf("Job %s pod %d: wabcheck %s: %v", j.Name, i, strings.Join(argv, " "), err)
		}
		out = append(out, argv)
	}
	return out
}

func ptrString[T any](p *T) string {
	if p == nil {
		return "unset"
	}
	return fmt.Sprint(*p)
}

// flagValue returns the value of --name in argv (either --name=v or --name v).
func flagValue(argv []string, name string) string {
	for i, a := range argv {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
		if a == "--"+name && i+1 < len(argv) {
			return argv[i+1]
		}
	}
	return ""
}

// Item 4 of issue 12: the Jobs' command lines are wabcheck's, so a renamed
// flag, command or profile fails here; the shard count, the pod count and
// the folders the merge reads agree.
func TestDeployJobsRunWabcheckCommandLines(t *testing.T) {
	js := jobs(loadManifests(t, manifestDir))
	loadJob, mergeJob := js["wabcheck-load"], js["wabcheck-load-merge"]
	if loadJob == nil || mergeJob == nil {
		t.Fatalf("want Jobs wabcheck-load and wabcheck-load-merge, got %d Jobs", len(js))
	}
	shards := jobArgv(t, loadJob)
	if p := loadJob.Spec.Parallelism; p == nil || int(*p) != len(shards) {
		t.Errorf("wabcheck-load: parallelism %v, completions %d: keep them equal", ptrString(p), len(shards))
	}
	var shardDirs []string
	for i, argv := range shards {
		s, err := load.ParseShard(flagValue(argv, "shard"))
		if err != nil || s.Index != i || s.Count != len(shards) {
			t.Errorf("pod %d: --shard %q (%v): want %d/%d", i, flagValue(argv, "shard"), err, i, len(shards))
		}
		if _, err := profiles.Load(flagValue(argv, "profile"), firstNonEmpty(flagValue(argv, "vendor"), defaultVendor)); err != nil {
			t.Errorf("pod %d: %v", i, err)
		}
		shardDirs = append(shardDirs, flagValue(argv, "report-dir"))
	}
	merge := jobArgv(t, mergeJob)[0]
	if len(merge) < 2 || merge[0] != "load" || merge[1] != "merge" {
		t.Fatalf("wabcheck-load-merge runs %q, want load merge", merge)
	}
	c, _ := parseCommandLine(merge)
	if c != nil && strings.Join(c.Flags().Args(), " ") != strings.Join(shardDirs, " ") {
		t.Errorf("the merge reads %q, the shards write %q", c.Flags().Args(), shardDirs)
	}
}

// The Jobs run the image `make image` builds, as its user, on the volume
// and with the secret the other manifests define.
func TestDeployJobsUseTheImageVolumeAndSecret(t *testing.T) {
	ms := loadManifests(t, manifestDir)
	claims, secrets := map[string]bool{}, map[string]map[string]bool{}
	for _, m := range ms {
		switch o := m.obj.(type) {
		case *corev1.PersistentVolumeClaim:
			claims[o.Name] = true
		case *corev1.Secret:
			secrets[o.Name] = map[string]bool{}
			for k := range o.StringData {
				secrets[o.Name][k] = true
			}
		}
	}
	for _, j := range jobs(ms) {
		checkPodSpec(t, j.Name, j.Spec.Template.Spec, claims, secrets)
	}
	readme, err := os.ReadFile(filepath.Join(manifestDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"make image", "s|image: " + ociimage.DefaultTag + "|"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("deploy/k8s/README.md does not say %q", want)
		}
	}
}

func checkPodSpec(t *testing.T, job string, p corev1.PodSpec, claims map[string]bool, secrets map[string]map[string]bool) {
	t.Helper()
	sc := p.SecurityContext
	if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.FSGroup == nil || *sc.FSGroup != ociimage.GID {
		t.Errorf("Job %s: want securityContext runAsNonRoot and fsGroup %d (the image's user), got %+v", job, ociimage.GID, sc)
	}
	for _, v := range p.Volumes {
		if v.PersistentVolumeClaim != nil && !claims[v.PersistentVolumeClaim.ClaimName] {
			t.Errorf("Job %s: volume %s claims %q, which no manifest defines", job, v.Name, v.PersistentVolumeClaim.ClaimName)
		}
	}
	c := p.Containers[0]
	if c.Image != ociimage.DefaultTag || c.ImagePullPolicy != corev1.PullIfNotPresent {
		t.Errorf("Job %s: image %q pull %q, want %q (what make image builds) with IfNotPresent", job, c.Image, c.ImagePullPolicy, ociimage.DefaultTag)
	}
	for _, e := range c.Env {
		if r := e.ValueFrom; r != nil && r.SecretKeyRef != nil && !secrets[r.SecretKeyRef.Name][r.SecretKeyRef.Key] {
			t.Errorf("Job %s: env %s reads key %q of secret %q, which no manifest defines", job, e.Name, r.SecretKeyRef.Key, r.SecretKeyRef.Name)
		}
		if argv := containerArgv(t, c); strings.HasPrefix(e.Name, "WABCHECK_") && !commandReadsEnv(argv, e.Name) {
			t.Errorf("Job %s: env %s is not a variable `wabcheck %s` reads", job, e.Name, strings.Join(argv, " "))
		}
	}
}

// commandReadsEnv reports whether the help of the command argv runs names
// $name as a flag's default (how wabcheck documents the variables it reads).
func commandReadsEnv(argv []string, name string) bool {
	c, _, err := newRootCmd(io.Discard, io.Discard).Find(argv)
	if err != nil {
		return false
	}
	var help bytes.Buffer
	c.SetOut(&help)
	_ = c.Help()
	return regexp.MustCompile(`\$` + regexp.QuoteMeta(name) + `\b`).MatchString(help.String())
}
