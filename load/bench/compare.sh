#!/usr/bin/env bash
# compare.sh: maximum rate of the vegeta CLI vs `wabcheck load` (validation
# off and on) against the same trivial loopback server, in one run on one
# machine. Usage: load/bench/compare.sh [SECONDS] [WORKERS]
# Needs the vegeta CLI on PATH or in $(go env GOPATH)/bin; build it from the
# module cache with:  go build -o "$(go env GOPATH)/bin/vegeta" github.com/tsenart/vegeta/v12
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
workers=${2:-64}
tmp=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$tmp"' EXIT
vegeta=$(command -v vegeta || echo "$(go env GOPATH)/bin/vegeta")
go build -o "$tmp/trivialsrv" ./load/internal/trivialsrv
go build -o "$tmp/wabcheck" ./cmd/wabcheck
"$tmp/trivialsrv" -addr 127.0.0.1:18080 & srv=$!
sleep 0.5
base=http://127.0.0.1:18080/rest/wab/v1
printf 'POST %s/messages\nContent-Type: application/json\nAuthorization: Basic d2FiY2hlY2s6d2FiY2hlY2s=\n@%s/body.json\n' "$base" "$tmp" > "$tmp/targets.txt"
echo '{"destination":"+64220000001","reference":"x","type":"text","text":{"body":"hello"}}' > "$tmp/body.json"
sed -e "s/10s/${secs}s/" -e "s/64/${workers}/g" load/bench/max.yaml > "$tmp/max.yaml"

"$vegeta" attack -rate=0 -max-workers="$workers" -workers="$workers" -duration="${secs}s" -targets="$tmp/targets.txt" -output="$tmp/vegeta.bin"
echo "== vegeta CLI"; "$vegeta" report "$tmp/vegeta.bin" | sed -n '1,3p'
for sample in 0 1; do
  echo "== wabcheck load --validate-sample $sample"
  "$tmp/wabcheck" load --profile "$tmp/max.yaml" --target "$base" --user wabcheck --password wabcheck \
    --validate-sample "$sample" --report-dir "$tmp/w$sample" 2>/dev/null | sed -n '1p' || true
  jq -r '"validated \(.validation.validated), skipped \(.validation.skipped), violations \(.validation.violations)"' "$tmp/w$sample/summary.json" 2>/dev/null || true
done
