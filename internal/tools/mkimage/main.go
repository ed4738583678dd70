// Command mkimage builds wabcheck's container image without a container
// daemon (`make image`): it compiles a static linux binary of
// ./cmd/wabcheck and writes an OCI image tarball that `docker load`,
// `crane push` and `kind load image-archive` accept. Nothing is pulled, so
// it works offline. See internal/ociimage and deploy/k8s/README.md.
//
//	go run ./internal/tools/mkimage -version v1.2.3 -out bin/wabcheck-image.tar
//
// SOURCE_DATE_EPOCH, when set, is the image's creation time (default: the
// Unix epoch, so the same binary gives the same digest). Exit 0 when the
// tarball is written, 2 otherwise.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/wabcheck/wabcheck/internal/ociimage"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Getenv("SOURCE_DATE_EPOCH"))
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(2)
	}
}

// options are mkimage's flags.
type options struct {
	version, arch, out, tag, dir string
	created                      time.Time
}

func parse(args []string, epoch string) (options, error) {
	var o options
	fs := flag.NewFlagSet("mkimage", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.version, "version", "dev", "wabcheck `VERSION` (main.version and the image label)")
	fs.StringVar(&o.arch, "arch", runtime.GOARCH, "`GOARCH` of the image")
	fs.StringVar(&o.out, "out", "bin/wabcheck-image.tar", "tarball `FILE` to write")
	fs.StringVar(&o.tag, "tag", ociimage.DefaultTag, "image `TAG` recorded in the tarball")
	fs.StringVar(&o.dir, "dir", ".", "module root `DIR` (the folder of go.mod)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if epoch != "" {
		sec, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return o, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since the Unix epoch", epoch)
		}
		o.created = time.Unix(sec, 0)
	}
	return o, nil
}

// run builds the binary, the image and the tarball, and prints one line.
func run(ctx context.Context, args []string, stdout io.Writer, epoch string) error {
	o, err := parse(args, epoch)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "mkimage-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "wabcheck")
	if err := ociimage.BuildBinary(ctx, ociimage.BuildOptions{Dir: o.dir, Out: bin, Version: o.version, Arch: o.arch}); err != nil {
		return err
	}
	binary, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	img, err := ociimage.Build(binary, ociimage.Config{Version: o.version, Arch: o.arch, Created: o.created})
	if err != nil {
		return err
	}
	if err := ociimage.WriteTarball(o.out, o.tag, img); err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s (linux/%s, wabcheck %s) %s\n", o.out, o.tag, o.arch, o.version, digest)
	return nil
}
