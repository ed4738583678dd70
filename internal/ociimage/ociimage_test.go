package ociimage

import (
	"archive/tar"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func mustBuild(t *testing.T, binary string, cfg Config) v1.Image {
	t.Helper()
	img, err := Build([]byte(binary), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func digests(t *testing.T, img v1.Image) (image string, layers []string) {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		ld, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, ld.String())
	}
	return d.String(), layers
}

// The same binary gives the same image, byte for byte; another binary
// changes only the binary's layer, so registries and nodes keep the base.
func TestBuildIsReproducible(t *testing.T) {
	cfg := Config{Version: "v1", Arch: "amd64"}
	a, la := digests(t, mustBuild(t, "binary one", cfg))
	b, _ := digests(t, mustBuild(t, "binary one", cfg))
	c, lc := digests(t, mustBuild(t, "binary two", cfg))
	if a != b {
		t.Errorf("same input, digests %s and %s", a, b)
	}
	if a == c || la[0] != lc[0] || la[1] == lc[1] {
		t.Errorf("another binary: image %s vs %s, layers %v vs %v; want the same base layer only", a, c, la, lc)
	}
	later, _ := digests(t, mustBuild(t, "binary one", Config{Version: "v1", Arch: "amd64", Created: time.Unix(1700000000, 0)}))
	if later == a {
		t.Error("Created does not change the image")
	}
}

func TestBuildConfigAndMediaTypes(t *testing.T) {
	img := mustBuild(t, "bin", Config{Version: "v2.0.0", Arch: "arm64"})
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cf.Architecture != "arm64" || cf.OS != "linux" || cf.Created.Unix() != 0 {
		t.Errorf("platform %s/%s created %v, want linux/arm64 at the epoch", cf.OS, cf.Architecture, cf.Created)
	}
	if cf.Config.Labels["org.opencontainers.image.version"] != "v2.0.0" || cf.Config.User != User {
		t.Errorf("config %+v", cf.Config)
	}
	if mt, _ := img.MediaType(); mt != types.OCIManifestSchema1 {
		t.Errorf("manifest media type %s, want OCI", mt)
	}
	m, err := img.Manifest()
	if err != nil || m.Config.MediaType != types.OCIConfigJSON || m.Layers[0].MediaType != types.OCILayer {
		t.Errorf("manifest %+v (%v): want OCI config and layer media types", m, err)
	}
}

func TestBinaryLayerHoldsTheBinaryAtTheEntrypoint(t *testing.T) {
	ls, err := mustBuild(t, "the binary", Config{Version: "v", Arch: "amd64"}).Layers()
	if err != nil {
		t.Fatal(err)
	}
	rc, err := ls[len(ls)-1].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	h, err := tr.Next()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(tr)
	if "/"+h.Name != Entrypoint || h.Mode != 0o755 || h.Uid != 0 || string(data) != "the binary" {
		t.Errorf("binary layer: %s mode %o uid %d %q", h.Name, h.Mode, h.Uid, data)
	}
}

func TestBuildRejectsIncompleteInput(t *testing.T) {
	for name, tc := range map[string]struct {
		bin string
		cfg Config
	}{
		"empty binary": {"", Config{Version: "v", Arch: "amd64"}},
		"no version":   {"b", Config{Arch: "amd64"}},
		"no arch":      {"b", Config{Version: "v"}},
	} {
		if _, err := Build([]byte(tc.bin), tc.cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestBuildBinaryRejectsAVersionLdflagsWouldSplit(t *testing.T) {
	for _, v := range []string{"", "v1 -X main.x=y", `v1"`} {
		err := BuildBinary(context.Background(), BuildOptions{Out: filepath.Join(t.TempDir(), "b"), Version: v})
		if err == nil || !strings.Contains(err.Error(), "version") {
			t.Errorf("version %q: %v, want a version error", v, err)
		}
	}
}

func TestWriteTarballRoundTrip(t *testing.T) {
	img := mustBuild(t, "bin", Config{Version: "v", Arch: "amd64"})
	p := filepath.Join(t.TempDir(), "sub", "image.tar")
	if err := WriteTarball(p, DefaultTag, img); err != nil {
		t.Fatal(err)
	}
	back, err := tarball.ImageFromPath(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := img.ConfigName()
	if got, _ := back.ConfigName(); got != want {
		t.Errorf("config %s read back, want %s", got, want)
	}
	if err := WriteTarball(p, "Not A Tag!", img); err == nil {
		t.Error("a bad tag: no error")
	}
}
