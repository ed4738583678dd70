#!/usr/bin/env bash
# compare.sh: maximum rate of the vegeta CLI vs `wabcheck load` (validation
# off and on) against the same trivial loopback server, in one run on one
# machine.
#
#   load/bench/compare.sh [-b BINARY] [-n] [SECONDS] [WORKERS]
#
# -b BINARY  the wabcheck binary to measure (default: build this tree's)
# -n         no vegeta CLI run (wabcheck load only, e.g. to compare two
#            wabcheck binaries run after run)
# Each wabcheck run ends with a line "RESULT load validate=0|1 RATE
# success=S cpu_us_per_req=C" (RATE: requests/s from its summary.json; C:
# the process's user+system CPU time, start-up included, per request) for
# scripts to collect. CPU per request is steadier than the rate on a shared
# machine.
# Needs jq, and the vegeta CLI (unless -n) on PATH or in $(go env GOPATH)/bin;
# build it from the module cache with:
#   go build -o "$(go env GOPATH)/bin/vegeta" github.com/tsenart/vegeta/v12
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="" novegeta=""
while getopts b:n o; do
	case $o in
	b) bin=$OPTARG ;; n) novegeta=1 ;;
	*) echo "usage: $0 [-b BINARY] [-n] [SECONDS] [WORKERS]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
secs=${1:-10}
workers=${2:-64}
tmp=$(mktemp -d)
srv=""
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/trivialsrv" ./load/internal/trivialsrv
if [ -z "$bin" ]; then
	go build -o "$tmp/wabcheck" ./cmd/wabcheck
	bin=$tmp/wabcheck
fi
"$tmp/trivialsrv" -addr 127.0.0.1:18080 &
srv=$!
sleep 0.5
base=http://127.0.0.1:18080/rest/wab/v1
sed -e "s/10s/${secs}s/" -e "s/64/${workers}/g" load/bench/max.yaml >"$tmp/max.yaml"

if [ -z "$novegeta" ]; then
	vegeta=$(command -v vegeta || echo "$(go env GOPATH)/bin/vegeta")
	printf 'POST %s/messages\nContent-Type: application/json\nAuthorization: Basic d2FiY2hlY2s6d2FiY2hlY2s=\n@%s/body.json\n' "$base" "$tmp" >"$tmp/targets.txt"
	echo '{"destination":"+64220000001","reference":"x","type":"text","text":{"body":"hello"}}' >"$tmp/body.json"
	"$vegeta" attack -rate=0 -max-workers="$workers" -workers="$workers" -duration="${secs}s" -targets="$tmp/targets.txt" -output="$tmp/vegeta.bin"
	echo "== vegeta CLI"
	"$vegeta" report "$tmp/vegeta.bin" | sed -n '1,3p'
fi
for sample in 0 1; do
	echo "== wabcheck load --validate-sample $sample"
	TIMEFORMAT='%U %S'
	{ time "$bin" load --profile "$tmp/max.yaml" --target "$base" --user wabcheck --password wabcheck \
		--validate-sample "$sample" --report-dir "$tmp/w$sample" 2>/dev/null >"$tmp/out"; } 2>"$tmp/cpu" || true
	sed -n '1p' "$tmp/out"
	jq -r '"validated \(.validation.validated), skipped \(.validation.skipped), violations \(.validation.violations)"' "$tmp/w$sample/summary.json" 2>/dev/null || true
	jq -r --arg s "$sample" --arg cpu "$(cat "$tmp/cpu")" \
		'"RESULT load validate=\($s) \(.rate) success=\(.success) cpu_us_per_req=\(($cpu | split(" ") | map(tonumber) | add) * 1e6 / .requests)"' \
		"$tmp/w$sample/summary.json" 2>/dev/null || echo "RESULT load validate=$sample none"
done
