#!/usr/bin/env bash
# bench-micro-ab.sh: the hot-path micro-benchmarks of two source trees (before
# and after a change), run interleaved: round 1 before, round 1 after, round
# 2 before, … so that a shared machine's drift hits both alike.
#
#   scripts/bench-micro-ab.sh BEFORE_TREE AFTER_TREE [ROUNDS] [OUTDIR]
#
# Test binaries are built once per tree (go test -c); each round runs each
# binary with -count 1, and OUTDIR/before.txt and OUTDIR/after.txt collect
# the rounds (ROUNDS defaults to 5, OUTDIR to bench-micro). With benchstat
# on PATH or in $(go env GOPATH)/bin it prints the comparison (go install
# golang.org/x/perf/cmd/benchstat@latest). Benchmarks compared are those of
# the list below that exist in both trees; the simulator's moved from
# internal/sim to internal/dialect/modica/modicasim in the dialect redesign,
# so a line names the package in each tree.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_TREE AFTER_TREE [ROUNDS] [OUTDIR]" >&2; exit 2; }
before=$(realpath "$1") after=$(realpath "$2") rounds=${3:-5} out=${4:-bench-micro}
mkdir -p "$out"
out=$(realpath "$out")
# name;package before;package after;-bench regexp;-benchtime
list='validate;./internal/validate;./internal/validate;^Benchmark(RequestPostMessagesText|Response202|CallbackStatus)$;200ms
load;./load;./load;^Benchmark(Targeter|CollectorAdd|ValidateResponse)$;200ms
steps;./steps;./steps;^BenchmarkValidateResponse$;200ms
sim;./internal/sim;./internal/dialect/modica/modicasim;^BenchmarkPostMessages$;300ms
simmem;./internal/sim;./internal/dialect/modica/modicasim;^BenchmarkMemoryPerMessage$;1x
callbacks;./internal/callbacks;./internal/callbacks;^BenchmarkReceiverIngest$;200ms
dispatch;./internal/dispatch;./internal/dispatch;^BenchmarkDispatchLoopback$;20000x'
build() { # TREE PKG OUT
	(cd "$1" && go test -c -o "$3" "$2")
}
: >"$out/before.txt"
: >"$out/after.txt"
while IFS=';' read -r name pb pa re bt; do
	build "$before" "$pb" "$out/$name.before.test"
	build "$after" "$pa" "$out/$name.after.test"
done <<<"$list"
for r in $(seq "$rounds"); do
	while IFS=';' read -r name pb pa re bt; do
		for side in before after; do
			dir=$before pkg=$pb
			[ $side = after ] && dir=$after pkg=$pa
			echo "round $r $name $side (load $(cut -d' ' -f1 /proc/loadavg))" >&2
			(cd "$dir/$pkg" && "$out/$name.$side.test" -test.run '^$' -test.bench "$re" \
				-test.benchtime "$bt" -test.count 1 -test.benchmem </dev/null) |
				grep -E '^(Benchmark|goos|goarch|pkg|cpu)' | sed "s#^pkg: .*#pkg: $name#" >>"$out/$side.txt"
		done
	done <<<"$list"
done
bs=$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")
if [ -x "$bs" ]; then "$bs" "$out/before.txt" "$out/after.txt"; fi
