package ociimage

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Facts of the image, shared with the Dockerfile (the tests compare them).
const (
	// Entrypoint is where the binary sits in the image, run as the entrypoint.
	Entrypoint = "/wabcheck"
	// UID and GID of the "nonroot" user the image runs as (distroless's).
	UID, GID = 65532, 65532
	// User is the config's User field: numeric, so that Kubernetes'
	// runAsNonRoot can verify it without reading /etc/passwd.
	User = "65532:65532"
	// Home is the nonroot user's home, owned by it, and the working
	// directory: reports/ is created there unless --report-dir says otherwise.
	Home = "/home/nonroot"
	// CACertFile is the CA bundle's path (where Go looks first on Linux).
	CACertFile = "/etc/ssl/certs/ca-certificates.crt"
	// DefaultTag is the tag `make image` writes into the tarball and the
	// manifests in deploy/k8s run.
	DefaultTag = "wabcheck:local"
	// Source is the org.opencontainers.image.source label.
	Source = "https://github.com/wabcheck/wabcheck"
)

// Config describes one image build.
type Config struct {
	// Version is the wabcheck version: the org.opencontainers.image.version
	// label (the binary carries it through -X main.version).
	Version string
	// Arch is the GOARCH the binary was built for (the config's architecture).
	Arch string
	// Created is the image's creation time; the zero value means the Unix
	// epoch, so that the same binary always gives the same image digest.
	Created time.Time
}

// Labels returns the OCI labels of an image of version.
func Labels(version string) map[string]string {
	return map[string]string{
		"org.opencontainers.image.title":       "wabcheck",
		"org.opencontainers.image.description": "Conformance and load-testing harness for WhatsApp Business messaging APIs",
		"org.opencontainers.image.source":      Source,
		"org.opencontainers.image.version":     version,
	}
}

// Build returns the image: a base layer (users, home, /tmp, CA bundle) and
// a layer holding binary at Entrypoint, with OCI media types.
func Build(binary []byte, cfg Config) (v1.Image, error) {
	if cfg.Version == "" || cfg.Arch == "" {
		return nil, fmt.Errorf("image config: version and arch are required (got %q, %q)", cfg.Version, cfg.Arch)
	}
	created := cfg.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	created = created.UTC()
	base, err := baseLayer(created)
	if err != nil {
		return nil, err
	}
	bin, err := binaryLayer(binary, created)
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.ConfigFile(img, configFile(cfg, created))
	if err != nil {
		return nil, fmt.Errorf("image config: %w", err)
	}
	return mutate.Append(img,
		mutate.Addendum{Layer: base, History: history(created, "users, home, /tmp, CA bundle")},
		mutate.Addendum{Layer: bin, History: history(created, "wabcheck "+cfg.Version+" at "+Entrypoint)})
}

func configFile(cfg Config, created time.Time) *v1.ConfigFile {
	return &v1.ConfigFile{
		Architecture: cfg.Arch,
		OS:           "linux",
		Created:      v1.Time{Time: created},
		RootFS:       v1.RootFS{Type: "layers"},
		Config: v1.Config{
			Entrypoint: []string{Entrypoint},
			User:       User,
			WorkingDir: Home,
			Env:        []string{"SSL_CERT_FILE=" + CACertFile},
			Labels:     Labels(cfg.Version),
		},
	}
}

func history(created time.Time, what string) v1.History {
	return v1.History{Created: v1.Time{Time: created}, CreatedBy: "wabcheck mkimage: " + what}
}

// WriteTarball writes img as a docker-loadable tarball tagged tag to path,
// through a temporary file renamed into place.
func WriteTarball(path, tag string, img v1.Image) error {
	ref, err := name.NewTag(tag)
	if err != nil {
		return fmt.Errorf("tag %q: %w", tag, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("image tarball: %w", err)
	}
	tmp := path + ".tmp"
	if err := tarball.WriteToFile(tmp, ref, img); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
