package ociimage

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// BuildOptions say how to compile the wabcheck binary for the image.
type BuildOptions struct {
	// Dir is the module root (the folder of go.mod); "" is the current one.
	Dir string
	// Out is the path of the binary to write.
	Out string
	// Version is set as main.version, as the Makefile does for bin/wabcheck.
	Version string
	// Arch is the GOARCH; "" is the host's.
	Arch string
	// Go is the go command; "" is "go" from PATH.
	Go string
}

// Package is the wabcheck command's package, relative to the module root.
const Package = "./cmd/wabcheck"

// GoBuildEnv is the environment a build adds: no cgo (a static binary that
// needs no libc in the image), linux.
func GoBuildEnv(arch string) []string {
	return []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=" + arch}
}

// GoBuildArgs are the go command's arguments for the image's binary. The
// Dockerfile runs the same build; -trimpath keeps the builder's paths out.
func GoBuildArgs(version, out string) []string {
	return []string{"build", "-trimpath", "-ldflags", "-s -w -X main.version=" + version, "-o", out, Package}
}

// BuildBinary compiles wabcheck as GoBuildEnv and GoBuildArgs say. The
// build cache is used as for any go build, so a rebuild only relinks.
func BuildBinary(ctx context.Context, o BuildOptions) error {
	if o.Version == "" || strings.ContainsAny(o.Version, " \t\n'\"") {
		return fmt.Errorf("version %q: want a non-empty word without spaces or quotes", o.Version)
	}
	if o.Out == "" {
		return fmt.Errorf("build: no output path")
	}
	arch, goCmd := o.Arch, o.Go
	if arch == "" {
		arch = runtime.GOARCH
	}
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.CommandContext(ctx, goCmd, GoBuildArgs(o.Version, o.Out)...)
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), GoBuildEnv(arch)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(cmd.Args[1:], " "), err, out.Bytes())
	}
	return nil
}
