# wabcheck — two commands do everything on a fresh machine with Go:
#   make demo   the main job against the embedded simulator, reports in reports/
#   make test   vet + staticcheck + go test -race ./... + every fuzz target for a few seconds
#   make fuzz   every fuzz target for FUZZTIME each (default 60s)

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
BIN       := bin/wabcheck
GOBIN     := $(shell $(GO) env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(GOBIN)/staticcheck
# Fuzzing: FUZZTIME per target for `make fuzz`, TEST_FUZZTIME in `make test`.
FUZZTIME      ?= 60s
TEST_FUZZTIME ?= 3s

.PHONY: all build image test demo bench lint vet staticcheck fmt-check clean fuzz

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/wabcheck

# image: an OCI image tarball of a static linux build of wabcheck, made
# without Docker or any daemon and without pulling a base image (works
# offline): docker load < $(IMAGE_TAR), crane push, kind load image-archive.
# IMAGE_ARCH picks another GOARCH. The Dockerfile builds the same image with
# Docker. See deploy/k8s/README.md.
IMAGE_TAR  ?= bin/wabcheck-image.tar
IMAGE_TAG  ?= wabcheck:local
IMAGE_ARCH ?= $(shell $(GO) env GOARCH)
image:
	$(GO) run ./internal/tools/mkimage -version '$(VERSION)' -arch $(IMAGE_ARCH) -tag $(IMAGE_TAG) -out $(IMAGE_TAR)

$(STATICCHECK):
	GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

vet:
	$(GO) vet ./...

staticcheck: $(STATICCHECK)
	$(STATICCHECK) ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

lint: fmt-check vet staticcheck

test: lint
	$(GO) test -race -timeout 15m ./...
	GO=$(GO) FUZZ_FRESH_CACHE=1 scripts/fuzz.sh $(TEST_FUZZTIME)

# fuzz: every Go fuzz target (func FuzzXxx in a _test.go file), one at a
# time, FUZZTIME each; stops at the first failure and says where the
# failing input was saved (testdata/fuzz/FuzzXxx/ of its package).
fuzz:
	GO=$(GO) scripts/fuzz.sh $(FUZZTIME)

# demo: lint the embedded spec, run the conformance suite against the
# embedded simulator, a short schema-driven probe, then a short broadcast
# load run; reports go to reports/.
demo: build
	@echo "== 1/4 spec lint (embedded Modica WAB v1.2.0 spec; the published spec has defects, so lint exits 1) =="
	@$(BIN) spec lint --group code > reports/.demo-lint.txt 2>&1; \
	  grep -E '^[a-z0-9-]+ \(' reports/.demo-lint.txt | head -n 20 || true; \
	  tail -n 3 reports/.demo-lint.txt; rm -f reports/.demo-lint.txt
	@echo
	@echo "== 2/4 conformance suite against the embedded simulator =="
	$(BIN) conform
	@echo
	@echo "== 3/4 schema-driven probe: generated valid and invalid requests for every operation =="
	$(BIN) probe --max-cases 300
	@echo
	@echo "== 4/4 short broadcast load run against the embedded simulator =="
	$(BIN) load --profile broadcast --duration 5s
	@echo
	@echo "Reports: $$(readlink -f reports/latest)/ and the other folders in reports/"

# bench: every Go benchmark (validation, simulator, dispatch, receiver, lint,
# diff, load engine), then the simulator under wrk and the load engine
# against the vegeta CLI when those tools are available. Figures and method:
# docs/performance.md.
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...
	@if command -v wrk >/dev/null 2>&1; then scripts/bench-sim.sh; else echo "wrk not installed (apt-get install wrk): skipping the simulator wrk run"; fi
	@if command -v vegeta >/dev/null 2>&1 || [ -x "$(GOBIN)/vegeta" ]; then load/bench/compare.sh 10 64; \
	else echo "vegeta CLI not built (go build -o $(GOBIN)/vegeta github.com/tsenart/vegeta/v12): skipping the comparison"; fi

clean:
	rm -rf bin
	find reports -mindepth 1 ! -name README.md -exec rm -rf {} +
