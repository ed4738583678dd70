#!/usr/bin/env bash
# bench-sim.sh: POST-a-message throughput of `wabcheck sim` (auth, full
# request validation, storage, DLR scheduling; rate limit off) under wrk, on
# loopback, and for Modica also GET /healthz.
#
#   scripts/bench-sim.sh [-b BINARY] [-v VENDOR] [-d SECONDS] [PORT]
#
# -b BINARY  the wabcheck binary to run (default: build this tree's)
# -v VENDOR  modica (default: POST /messages, Basic auth; GET /healthz),
#            ycloud (POST /v2/whatsapp/messages, X-API-Key) or onprem
#            (POST /v1/users/login for a token, then POST /v1/messages with
#            it); the simulator's default credentials
# -d SECONDS wrk's duration per request kind (default 10)
# PORT       the loopback port (default 18181)
#
# Output: wrk's Requests/sec, Latency and Non-2xx lines per request, then one
# line per request "RESULT VENDOR KIND REQ_PER_S non2xx=N cpu_us_per_req=C"
# for scripts to collect (C: the simulator process's user+system CPU time
# during the wrk run per request, from /proc; steadier than REQ_PER_S on a
# shared machine).
# wrk runs with -t1 -c32. Needs wrk, curl (and jq for onprem).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="" vendor=modica secs=10
while getopts b:v:d: o; do
	case $o in
	b) bin=$OPTARG ;; v) vendor=$OPTARG ;; d) secs=$OPTARG ;;
	*) echo "usage: $0 [-b BINARY] [-v VENDOR] [-d SECONDS] [PORT]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
port=${1:-18181}
tmp=$(mktemp -d)
sim="" extra=()
trap '[ -n "$sim" ] && kill "$sim" 2>/dev/null; rm -rf "$tmp"' EXIT
if [ -z "$bin" ]; then
	go build -o "$tmp/wabcheck" ./cmd/wabcheck
	bin=$tmp/wabcheck
fi
host="http://127.0.0.1:$port"
basic="Basic $(printf 'wabcheck:wabcheck' | base64)"
case $vendor in
modica)
	base=$host/rest/wab/v1 post=/messages health=/healthz auth="Authorization: $basic"
	body='{"destination":"+64211234567","type":"text","text":{"body":"Hello from wrk"},"reference":"wrk-1"}' ;;
ycloud)
	base=$host/v2 post=/whatsapp/messages health="" auth="X-API-Key: wabcheck-sim-api-key"
	# --rate-limit 0 leaves YCloud's per-sender limit on POST /whatsapp/messages on
	extra=(--sim-option enqueue-rate=0)
	body='{"from":"+16315551111","to":"+16315550100","type":"text","text":{"body":"Hello from wrk"},"externalId":"wrk-1"}' ;;
onprem)
	base=$host/v1 post=/messages health="" auth=""
	body='{"to":"16315550100","recipient_type":"individual","type":"text","text":{"body":"Hello from wrk"}}' ;;
*) echo "$0: -v $vendor: want modica, ycloud or onprem" >&2; exit 2 ;;
esac
"$bin" sim --vendor "$vendor" --listen "127.0.0.1:$port" --rate-limit 0 --message-ttl 5s "${extra[@]}" 2>"$tmp/sim.log" >/dev/null &
sim=$!
# The pre-redesign binary has no --vendor: retry without it for Modica.
sleep 0.3
if ! kill -0 "$sim" 2>/dev/null && [ "$vendor" = modica ]; then
	"$bin" sim --listen "127.0.0.1:$port" --rate-limit 0 --message-ttl 5s 2>"$tmp/sim.log" >/dev/null &
	sim=$!
fi
for _ in $(seq 100); do curl -s -o /dev/null "$host/" && break; sleep 0.1; done
if [ "$vendor" = onprem ]; then
	token=$(curl -fsS -u wabcheck:wabcheck -X POST "$base/users/login" | jq -r '.users[0].token')
	auth="Authorization: Bearer $token"
fi
curl -fsS -o /dev/null -H "$auth" -H 'Content-Type: application/json' -d "$body" "$base$post" ||
	{ echo "$0: a first POST $base$post failed; sim log:" >&2; cat "$tmp/sim.log" >&2; exit 1; }
hname=${auth%%:*} hval=${auth#*: }
cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body   = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["$hname"] = "$hval"
LUA
printf 'wrk.headers["%s"] = "%s"\n' "$hname" "$hval" >"$tmp/get.lua"
cputicks() { # the simulator's user+system CPU time so far, in clock ticks
	awk '{print $14 + $15}' "/proc/$sim/stat"
}
run() { # KIND LUA PATH
	echo "== $vendor $1 $3 (wrk -t1 -c32 -d${secs}s)"
	local c0 c1
	c0=$(cputicks)
	wrk -t1 -c32 -d"${secs}s" -s "$2" "$base$3" >"$tmp/wrk.out"
	c1=$(cputicks)
	grep -E 'Requests/sec|Latency|Non-2xx' "$tmp/wrk.out"
	awk -v v="$vendor" -v k="$1" -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" '
		/Requests\/sec/ { rps = $2 } / requests in / { n = $1 } /Non-2xx/ { bad = $NF }
		END { printf "RESULT %s %s %s non2xx=%d cpu_us_per_req=%.1f\n", v, k, rps, bad, n ? t / hz * 1e6 / n : 0 }' "$tmp/wrk.out"
}
run post "$tmp/post.lua" "$post"
[ -z "$health" ] || run healthz "$tmp/get.lua" "$health"
