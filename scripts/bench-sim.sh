#!/usr/bin/env bash
# bench-sim.sh: POST /messages and GET /healthz throughput of `wabcheck sim`
# (auth, full request validation, storage, DLR scheduling; rate limit off)
# under wrk, on loopback, 10 s each. Usage: scripts/bench-sim.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-18181}
tmp=$(mktemp -d)
trap 'kill "$sim" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/wabcheck" ./cmd/wabcheck
auth="Basic $(printf 'wabcheck:wabcheck' | base64)"
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body   = '{"destination":"+64211234567","type":"text","text":{"body":"Hello from wrk"},"reference":"wrk-1"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "$auth"
LUA
printf 'wrk.headers["Authorization"] = "%s"\n' "$auth" > "$tmp/get.lua"
"$tmp/wabcheck" sim --listen "127.0.0.1:$port" --rate-limit 0 --message-ttl 5s 2>"$tmp/sim.log" >/dev/null & sim=$!
for _ in $(seq 50); do curl -fs -o /dev/null -H "Authorization: $auth" "http://127.0.0.1:$port/rest/wab/v1/healthz" && break; sleep 0.1; done
base="http://127.0.0.1:$port/rest/wab/v1"
echo "== POST /messages (wrk -t1 -c32 -d10s)"; wrk -t1 -c32 -d10s -s "$tmp/post.lua" "$base/messages" | grep -E 'Requests/sec|Latency|Non-2xx'
echo "== GET /healthz (wrk -t1 -c32 -d10s)";  wrk -t1 -c32 -d10s -s "$tmp/get.lua" "$base/healthz" | grep -E 'Requests/sec|Latency|Non-2xx'
