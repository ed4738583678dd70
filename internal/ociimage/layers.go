package ociimage

import (
	"archive/tar"
	"bytes"
	"encoding/pem"
	"fmt"
	"io"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// entry is one file or directory of a layer.
type entry struct {
	name     string // relative, no leading slash; directories end in "/"
	mode     int64
	uid, gid int
	data     []byte
}

func dir(name string, mode int64, uid, gid int) entry {
	return entry{name: name, mode: mode, uid: uid, gid: gid}
}

func file(name string, mode int64, data []byte) entry {
	return entry{name: name, mode: mode, data: data}
}

// Passwd and Group are the image's /etc/passwd and /etc/group: root, and
// the nonroot user the image runs as (the same entries as distroless).
const (
	Passwd = "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	Group  = "root:x:0:\nnonroot:x:65532:\n"
)

// baseLayer holds what a non-root static program needs around it.
func baseLayer(created time.Time) (v1.Layer, error) {
	certs, err := caBundle()
	if err != nil {
		return nil, err
	}
	return layer(created, []entry{
		dir("etc/", 0o755, 0, 0),
		file("etc/group", 0o644, []byte(Group)),
		file("etc/passwd", 0o644, []byte(Passwd)),
		dir("etc/ssl/", 0o755, 0, 0),
		dir("etc/ssl/certs/", 0o755, 0, 0),
		file(CACertFile[1:], 0o644, certs),
		dir("home/", 0o755, 0, 0),
		dir(Home[1:]+"/", 0o755, UID, GID),
		dir("root/", 0o700, 0, 0),
		dir("tmp/", 0o1777, 0, 0),
	})
}

// binaryLayer holds the wabcheck binary at Entrypoint, owned by root and
// not writable by the user that runs it.
func binaryLayer(binary []byte, created time.Time) (v1.Layer, error) {
	if len(binary) == 0 {
		return nil, fmt.Errorf("image: the wabcheck binary is empty")
	}
	return layer(created, []entry{file(Entrypoint[1:], 0o755, binary)})
}

// caBundle is the PEM bundle of the Mozilla roots that
// golang.org/x/crypto/x509roots/fallback ships. Roots that carry a
// constraint (trusted only for certificates issued before a date) are left
// out: a PEM file cannot say so, and leaving them out fails closed.
func caBundle() ([]byte, error) {
	var buf bytes.Buffer
	for r := range bundle.Roots() {
		if r.Constraint != nil {
			continue
		}
		if err := pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: r.Certificate}); err != nil {
			return nil, fmt.Errorf("CA bundle: %w", err)
		}
	}
	if buf.Len() == 0 {
		return nil, fmt.Errorf("CA bundle: no roots")
	}
	return buf.Bytes(), nil
}

// layer packs entries, in order, into a gzip-compressed OCI layer whose
// bytes depend only on the entries and created.
func layer(created time.Time, entries []entry) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		if err := writeEntry(tw, e, created); err != nil {
			return nil, fmt.Errorf("image layer %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("image layer: %w", err)
	}
	b := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	}, tarball.WithMediaType(types.OCILayer))
}

func writeEntry(tw *tar.Writer, e entry, created time.Time) error {
	h := &tar.Header{Name: e.name, Mode: e.mode, Uid: e.uid, Gid: e.gid, ModTime: created}
	h.Typeflag = tar.TypeReg
	h.Size = int64(len(e.data))
	if e.name[len(e.name)-1] == '/' {
		h.Typeflag, h.Size = tar.TypeDir, 0
	}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	_, err := tw.Write(e.data)
	return err
}
