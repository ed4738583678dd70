#!/usr/bin/env bash
# fuzz.sh DURATION: run every Go fuzz target of the module (each
# `func FuzzXxx(` in a *_test.go file) for DURATION, one at a time (Go
# fuzzes one target per process), and stop at the first failure, saying
# where the failing input was saved and how to re-run it.
#
#   DURATION            a Go duration (60s, 2m) or plain seconds (60)
#   GO                  the go command (default: go)
#   FUZZ_FRESH_CACHE=1  start from the seed corpora (testdata/fuzz/) only,
#                       not from the inputs earlier runs found interesting
#                       (kept in $GOCACHE/fuzz): each target's start-up cost
#                       stays the same however long `make fuzz` has run
#   FUZZ_PARALLEL=N     fuzzing workers per target (default: GOMAXPROCS)
#   FUZZ_HANG_GRACE=S   a target process still running S seconds past
#                       DURATION counts as hung (default: 300). Go stops its
#                       workers at DURATION even when one is stuck on an
#                       input, so a target must time its own calls to catch
#                       hangs (see fuzzWithin in internal/validate)
#   FUZZ_DIRS="d ..."   look for targets under these folders only
#
# The packages with targets are built once each, side by side (go test -c
# -fuzz), before any target runs. Exit 0 when
# every target ran clean, 1 at the first failure or hang, 2 on bad usage.
set -euo pipefail

usage() { echo "usage: scripts/fuzz.sh DURATION (for example 60s, 2m or 3)" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
dur=$1
[[ $dur =~ ^[0-9]+$ ]] && dur="${dur}s"
[[ $dur =~ ^([0-9]+)(s|m|h)$ ]] || usage
case ${BASH_REMATCH[2]} in
	s) secs=${BASH_REMATCH[1]} ;;
	m) secs=$((BASH_REMATCH[1] * 60)) ;;
	h) secs=$((BASH_REMATCH[1] * 3600)) ;;
esac
[[ $secs -gt 0 ]] || usage
# Each new interesting input is minimised for this long; a short run
# should spend its time fuzzing.
minimize=1s
[[ $secs -ge 60 ]] && minimize=10s

GO=${GO:-go}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "dir name" for every fuzz target, sorted.
targets=$(find ${FUZZ_DIRS:-.} -name '*_test.go' -not -path '*/testdata/*' -not -path '*/.*' -not -path '*/vendor/*' -print0 |
	xargs -0 grep -HoE '^func Fuzz[A-Za-z0-9_]*\(' |
	sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1 \2#' | sort -u)
if [[ -z $targets ]]; then
	echo "fuzz: no fuzz targets found"
	exit 0
fi
echo "fuzz: $(wc -l <<<"$targets" | tr -d ' ') targets, $dur each"

binary() { echo "$work/$(tr '/.' '__' <<<"$1").test"; }
pids=()
for dir in $(cut -d' ' -f1 <<<"$targets" | sort -u); do
	$GO test -c -fuzz=. -o "$(binary "$dir")" "$dir" &
	pids+=($!)
done
for pid in "${pids[@]}"; do
	wait "$pid" || { echo "fuzz: building the fuzz targets failed" >&2; exit 1; }
done

gocache=$($GO env GOCACHE)
grace=${FUZZ_HANG_GRACE:-300}
while read -r dir name; do
	bin=$(binary "$dir")
	if [[ ${FUZZ_FRESH_CACHE:-} == 1 ]]; then
		cache="$work/cache/$dir"
	else
		cache="$gocache/fuzz/$($GO list "$dir")"
	fi
	args=(-test.run='^$' -test.fuzz="^$name\$" -test.fuzztime="$dur" -test.fuzzminimizetime="$minimize" -test.fuzzcachedir="$cache")
	[[ -n ${FUZZ_PARALLEL:-} ]] && args+=(-test.parallel="$FUZZ_PARALLEL")
	log="$work/$name.log"
	status=0
	(cd "$dir" && timeout $((secs + grace)) "$bin" "${args[@]}") >"$log" 2>&1 || status=$?
	if [[ $status -eq 0 ]]; then
		execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | tr -dc '0-9' || true)
		if [[ -n $execs ]]; then
			echo "fuzz: $name ($dir): ok ($execs inputs in $dur)"
		else
			echo "fuzz: $name ($dir): ok (the seed corpus only, in $dur)"
		fi
		continue
	fi
	tail -n 40 "$log"
	if [[ $status -eq 124 ]]; then
		echo "fuzz: $name ($dir) hung: still running $((secs + grace))s after it started" >&2
		exit 1
	fi
	saved=$(grep -oE 'Failing input written to [^ ]+' "$log" | tail -1 | sed 's/Failing input written to //' || true)
	if [[ -n $saved ]]; then
		echo "fuzz: $name ($dir) failed; the input is saved in $dir/$saved" >&2
		echo "fuzz: re-run it with: $GO test -run '$name/$(basename "$saved")' $dir" >&2
	else
		echo "fuzz: $name ($dir) failed (exit $status) without saving an input; see the output above" >&2
	fi
	exit 1
done <<<"$targets"
echo "fuzz: all targets ran $dur without a failure"
