# syntax=docker/dockerfile:1
#
# wabcheck's image, built with Docker:
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t wabcheck:local .
# `make image` builds the same image without Docker (internal/ociimage):
# same static binary, entrypoint, user, working directory and labels, and
# cmd/wabcheck's tests check that this file and that builder agree.

ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
ARG TARGETOS=linux
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/wabcheck ./cmd/wabcheck

# distroless static:nonroot: CA certificates, tzdata, /etc/passwd with the
# nonroot user (65532) and its home; no shell, no package manager.
FROM gcr.io/distroless/static:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="wabcheck" \
      org.opencontainers.image.description="Conformance and load-testing harness for WhatsApp Business messaging APIs" \
      org.opencontainers.image.source="https://github.com/wabcheck/wabcheck" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/wabcheck /wabcheck
# Reports go to reports/ under the working directory (the nonroot user's
# home, writable by it) unless --report-dir points elsewhere.
WORKDIR /home/nonroot
USER 65532:65532
ENTRYPOINT ["/wabcheck"]
