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

# NORACE: packages with no concurrency at all (no goroutine, nothing
# shared; TestNoRacePackagesStartNoGoroutine in internal/archtest keeps it
# so). They run without the race detector, which costs them 5-10x and could
# find nothing there; every other package runs with it.
NORACE := github.com/wabcheck/wabcheck/internal/specdiff

test: lint
	$(GO) test -race -timeout 15m $$($(GO) list ./... | grep -v -x -F $(foreach p,$(NORACE),-e $(p)))
	$(GO) test -timeout 15m $(NORACE)
	GO=$(GO) FUZZ_FRESH_CACHE=1 scripts/fuzz.sh $(TEST_FUZZTIME)

# fuzz: every Go fuzz target (func FuzzXxx in a _test.go file), one at a
# time, FUZZTIME each; stops at the first failure and says where the
# failing input was saved (testdata/fuzz/FuzzXxx/ of its package).
fuzz:
	GO=$(GO) scripts/fuzz.sh $(FUZZTIME)

# demo: for each vendor, lint its embedded spec, run the conformance suite
# against its in-process simulator, compare the vendors side by side, show
# a fault caught, a short schema-driven probe of each, then short load runs;
# reports go to reports/demo/.
VENDORS := modica ycloud onprem
# demo's pipelines (| tail) must keep the exit status of what they trim.
demo: SHELL := /bin/bash
demo: .SHELLFLAGS := -o pipefail -c

demo: build
	@rm -rf reports/demo && mkdir -p reports/demo
	@echo "== 1/6 spec lint of each vendor's embedded spec (published specs have defects, so lint exits 1) =="
	@for v in $(VENDORS); do \
	  echo "-- $$v"; $(BIN) spec lint --vendor $$v --group code > reports/demo/lint-$$v.txt 2>&1; \
	  tail -n 2 reports/demo/lint-$$v.txt; done
	@echo
	@echo "== 2/6 conformance suite of each vendor against its in-process simulator =="
	@for v in $(VENDORS); do \
	  $(BIN) conform --vendor $$v --report-dir reports/demo/conform-$$v | tail -n 2 || exit 1; done
	@echo
	@echo "== 3/6 the three vendors side by side (report compare) =="
	$(BIN) report compare --report-dir reports/demo/compare $(foreach v,$(VENDORS),reports/demo/conform-$(v)) | tail -n 25
	@echo
	@echo "== 4/6 Modica with the dlr-duplicate fault: conform catches it, compare shows what changed (exit 1 expected) =="
	@$(BIN) conform --fault dlr-duplicate --report-dir reports/demo/conform-modica-dlr-duplicate | tail -n 2 || true
	@$(BIN) report compare --report-dir reports/demo/compare-dlr-duplicate reports/demo/conform-modica \
	  reports/demo/conform-modica-dlr-duplicate | grep -E '^\*|runs? failed' | head -n 12 || true
	@echo
	@echo "== 5/6 schema-driven probe of each vendor: generated valid and invalid requests for every operation its simulator serves =="
	@for v in $(VENDORS); do \
	  echo "-- $$v"; $(BIN) probe --vendor $$v --max-cases 300 --report-dir reports/demo/probe-$$v | grep -E '^probe: .*findings|^reports:' || exit 1; done
	@echo
	@echo "== 6/6 short load runs against the in-process simulators =="
	$(BIN) load --profile broadcast --duration 5s --report-dir reports/demo/load-modica-broadcast
	$(BIN) load --vendor ycloud --profile send --duration 5s --report-dir reports/demo/load-ycloud-send
	$(BIN) load --vendor onprem --profile send --duration 5s --report-dir reports/demo/load-onprem-send
	@echo
	@echo "Reports: $$(readlink -f reports/demo)/ (compare/compare.html puts the vendors side by side)"

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
