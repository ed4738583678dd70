package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/x509"
	"debug/elf"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/wabcheck/wabcheck/internal/ociimage"
)

// repoRoot is the module root, seen from this package.
const repoRoot = "../.."

// imageFile is one entry of the image's flattened file system.
type imageFile struct {
	hdr  *tar.Header
	data []byte
}

// makeImage runs `make image` into dir with version and returns the tarball.
func makeImage(t *testing.T, dir, version string) string {
	t.Helper()
	out := filepath.Join(dir, "wabcheck-image.tar")
	cmd := exec.Command("make", "--no-print-directory", "image", "VERSION="+version, "IMAGE_TAR="+out)
	cmd.Dir = repoRoot
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "MAKEFLAGS=") || strings.HasPrefix(kv, "MFLAGS=") ||
			strings.HasPrefix(kv, "MAKELEVEL=") || strings.HasPrefix(kv, "SOURCE_DATE_EPOCH=")
	})
	log, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make image: %v\n%s", err, log)
	}
	if !bytes.Contains(log, []byte(out+": "+ociimage.DefaultTag)) {
		t.Errorf("make image printed %q, want the tarball and its tag", log)
	}
	return out
}

// imageFiles flattens the image's layers, in order, into path → entry.
func imageFiles(t *testing.T, img v1.Image) map[string]imageFile {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]imageFile{}
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(tr)
			files["/"+strings.TrimSuffix(h.Name, "/")] = imageFile{hdr: h, data: data}
		}
		rc.Close()
	}
	return files
}

// Item 3 of issue 12: `make image` builds, without any daemon, an image
// whose entrypoint is a static wabcheck that runs as a non-root user and
// prints its version.
func TestImageTarball(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const version = "v0.0.0-imagetest"
	path := makeImage(t, dir, version)
	img, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	checkImageConfig(t, cf, version)
	files := imageFiles(t, img)
	checkNonRootUser(t, cf.Config, files)
	checkCABundle(t, files)
	bin := extractEntrypoint(t, cf.Config, files, dir)
	checkStatic(t, bin)
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || string(out) != "wabcheck "+version+"\n" {
		t.Errorf("the image's %s version: %v, printed %q, want %q", cf.Config.Entrypoint[0], err, out, "wabcheck "+version+"\n")
	}
	m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(path) })
	if err != nil || len(m) != 1 || !slices.Equal(m[0].RepoTags, []string{ociimage.DefaultTag}) {
		t.Errorf("tarball manifest %+v (%v): want one image tagged %s", m, err, ociimage.DefaultTag)
	}
}

func checkImageConfig(t *testing.T, cf *v1.ConfigFile, version string) {
	t.Helper()
	c := cf.Config
	if cf.OS != "linux" || cf.Architecture != runtime.GOARCH {
		t.Errorf("platform %s/%s, want linux/%s", cf.OS, cf.Architecture, runtime.GOARCH)
	}
	if !slices.Equal(c.Entrypoint, []string{"/wabcheck"}) || len(c.Cmd) != 0 {
		t.Errorf("entrypoint %q cmd %q, want [/wabcheck] and no cmd", c.Entrypoint, c.Cmd)
	}
	if c.WorkingDir != "/home/nonroot" {
		t.Errorf("working dir %q, want /home/nonroot", c.WorkingDir)
	}
	for k, want := range map[string]string{
		"org.opencontainers.image.source":  "https://github.com/wabcheck/wabcheck",
		"org.opencontainers.image.version": version,
	} {
		if c.Labels[k] != want {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], want)
		}
	}
}

// checkNonRootUser: the user is numeric and not root, /etc/passwd names it
// with the working directory as its home, and that directory is its own.
func checkNonRootUser(t *testing.T, c v1.Config, files map[string]imageFile) {
	t.Helper()
	uid, gid, ok := strings.Cut(c.User, ":")
	if !ok || uid == "0" || gid == "0" || !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(uid) {
		t.Fatalf("user %q: want a numeric non-root uid:gid (runAsNonRoot needs a number)", c.User)
	}
	passwd := string(files["/etc/passwd"].data)
	if !regexp.MustCompile(`(?m)^nonroot:x:` + uid + `:` + gid + `:[^:]*:` + regexp.QuoteMeta(c.WorkingDir) + `:`).MatchString(passwd) {
		t.Errorf("/etc/passwd has no user %s with home %s:\n%s", c.User, c.WorkingDir, passwd)
	}
	if !strings.Contains(string(files["/etc/group"].data), ":"+gid+":") {
		t.Errorf("/etc/group has no group %s", gid)
	}
	home, ok := files[c.WorkingDir]
	if !ok || home.hdr.Typeflag != tar.TypeDir || home.hdr.Uid != ociimage.UID || home.hdr.Gid != ociimage.GID || home.hdr.Mode&0o200 == 0 {
		t.Errorf("working dir %s: want a directory owned and writable by %s, got %+v", c.WorkingDir, c.User, home.hdr)
	}
	if tmp := files["/tmp"]; tmp.hdr == nil || tmp.hdr.Mode&0o1777 != 0o1777 {
		t.Errorf("/tmp: want mode 1777")
	}
}

func checkCABundle(t *testing.T, files map[string]imageFile) {
	t.Helper()
	rest, n := files[ociimage.CACertFile].data, 0
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			t.Fatalf("%s: %v", ociimage.CACertFile, err)
		}
		n++
	}
	if n < 100 {
		t.Errorf("%s holds %d certificates, want the Mozilla roots (over 100)", ociimage.CACertFile, n)
	}
}

// extractEntrypoint writes the entrypoint's file out of the image into dir.
func extractEntrypoint(t *testing.T, c v1.Config, files map[string]imageFile, dir string) string {
	t.Helper()
	f, ok := files[c.Entrypoint[0]]
	if !ok || f.hdr.Typeflag != tar.TypeReg {
		t.Fatalf("no file at the entrypoint %s in the image's layers", c.Entrypoint[0])
	}
	if f.hdr.Mode&0o111 == 0 || f.hdr.Uid != 0 || f.hdr.Mode&0o022 != 0 {
		t.Errorf("%s: mode %o uid %d, want executable, owned by root, not writable by others", c.Entrypoint[0], f.hdr.Mode, f.hdr.Uid)
	}
	bin := filepath.Join(dir, "from-image")
	if err := os.WriteFile(bin, f.data, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// checkStatic: no dynamic loader and no shared libraries (the image has no libc).
func checkStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s asks for a dynamic loader: not a static binary", bin)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v", bin, libs)
	}
}

// dockerfile returns the Dockerfile's instructions, continuation lines
// joined and comments dropped, as "INSTRUCTION rest".
func dockerfile(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if l, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(l)
			continue
		}
		cur.WriteString(line)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

// lastStage returns the instructions after the last FROM.
func lastStage(instrs []string) []string {
	for i := len(instrs) - 1; i >= 0; i-- {
		if strings.HasPrefix(instrs[i], "FROM ") {
			return instrs[i:]
		}
	}
	return nil
}

// The Dockerfile builds the same image as `make image`: same build flags,
// entrypoint, user, working directory and labels, on a non-root static base,
// with the Go version of go.mod.
func TestDockerfileBuildsTheSameImage(t *testing.T) {
	all := dockerfile(t)
	final := lastStage(all)
	want := []string{
		`FROM gcr.io/distroless/static:nonroot`,
		`COPY --from=build /out/wabcheck ` + ociimage.Entrypoint,
		`WORKDIR ` + ociimage.Home,
		`USER ` + ociimage.User,
		`ENTRYPOINT ["` + ociimage.Entrypoint + `"]`,
	}
	for _, w := range want {
		if !slices.Contains(final, w) {
			t.Errorf("the Dockerfile's final stage lacks %q", w)
		}
	}
	labels := strings.Join(final, "\n")
	for k, v := range ociimage.Labels("${VERSION}") {
		if !strings.Contains(labels, k+`="`+v+`"`) {
			t.Errorf("the Dockerfile lacks LABEL %s=%q", k, v)
		}
	}
	build := strings.Join(all, "\n")
	goArgs := ociimage.GoBuildArgs("${VERSION}", "/out/wabcheck")
	wantBuild := `go ` + strings.Join(goArgs[:2], " ") + ` -ldflags "` + goArgs[3] + `" ` + strings.Join(goArgs[4:], " ")
	if !strings.Contains(build, "CGO_ENABLED=0") || !strings.Contains(build, wantBuild) {
		t.Errorf("the Dockerfile does not build with CGO_ENABLED=0 and %s", wantBuild)
	}
	if gv := goDirective(t); !slices.Contains(all, "ARG GO_VERSION="+gv) {
		t.Errorf("the Dockerfile lacks ARG GO_VERSION=%s (go.mod's go version)", gv)
	}
}

// goDirective returns go.mod's go version as major.minor ("1.26").
func goDirective(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return string(m[1])
}

// The Makefile's image target writes the tag the manifests run, and builds
// bin/wabcheck with the same ldflags as the image's binary.
func TestMakefileImageTarget(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	mk := string(data)
	wantLD := strings.Replace(ociimage.GoBuildArgs("$(VERSION)", "")[3], "$(VERSION)", "", 1)
	for _, want := range []string{
		"IMAGE_TAG  ?= " + ociimage.DefaultTag,
		"LDFLAGS   := " + wantLD + "$(VERSION)",
		"go run ./internal/tools/mkimage",
	} {
		if !strings.Contains(mk, strings.Replace(want, "go run", "$(GO) run", 1)) {
			t.Errorf("Makefile lacks %q", want)
		}
	}
	if !regexp.MustCompile(`(?m)^\.PHONY:.* image( |$)`).MatchString(mk) {
		t.Error("image is not in the Makefile's .PHONY")
	}
}
