// Package ociimage builds wabcheck's container image without a container
// daemon: a static linux binary (CGO_ENABLED=0, -trimpath) compiled with the
// go command, put on an empty base together with a small layer of files a
// non-root program needs (/etc/passwd and /etc/group with the "nonroot" user
// 65532, its writable home as the working directory, /tmp, and a CA bundle
// from golang.org/x/crypto/x509roots/fallback so https targets verify), and
// written as a tarball that `docker load`, `crane push` and
// `kind load image-archive` accept.
//
// Nothing is pulled: the base is empty and every byte comes from this
// module and its Go dependencies, so the build works offline. The repo's
// Dockerfile builds the same image with Docker (distroless static:nonroot
// as the base); both share the facts below (entrypoint, user, working
// directory, labels, build flags), and cmd/wabcheck's tests keep the two in
// step.
//
// internal/tools/mkimage (`make image`) is the command-line front end.
package ociimage
