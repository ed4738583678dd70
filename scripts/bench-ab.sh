#!/usr/bin/env bash
# bench-ab.sh: the end-to-end figures of two wabcheck binaries, measured
# interleaved (A B A B …) so that a shared machine's drift hits both alike.
#
#   scripts/bench-ab.sh BEFORE AFTER [PAIRS] [OUT.csv] [SECONDS]
#
# Per pair: scripts/bench-sim.sh (Modica POST /messages and GET /healthz, wrk
# SECONDS each) for one binary and then the other, then load/bench/compare.sh
# -n (wabcheck load max rate against the trivial loopback server, validation
# off and on, SECONDS each, 64 workers) the same way; odd pairs run BEFORE
# first, even pairs AFTER first. SECONDS defaults to 10. Each figure is a CSV row
# pair,binary,what,value,load1 (load1: /proc/loadavg's 1-minute figure just
# before the measurement); at the end the median, min and max per binary and
# figure and the median of the pairwise ratios AFTER/BEFORE are printed.
# Rows cpu-*: CPU microseconds per request of the measured process (lower is
# better), beside the rates.
# PAIRS defaults to 3, OUT.csv to bench-ab.csv. Loopback only; Linux (/proc).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BEFORE AFTER [PAIRS] [OUT.csv] [SECONDS]" >&2; exit 2; }
before=$(realpath "$1") after=$(realpath "$2") pairs=${3:-3} out=${4:-bench-ab.csv} secs=${5:-10}
out=$(realpath "$out")
cd "$(dirname "$0")/.."
echo "pair,binary,what,value,load1" >"$out"
sim() { # PAIR NAME BINARY
	local load1
	load1=$(cut -d' ' -f1 /proc/loadavg)
	scripts/bench-sim.sh -b "$3" -d "$secs" | tee /dev/stderr | awk -v p="$1" -v b="$2" -v l="$load1" \
		'$1 == "RESULT" { printf "%s,%s,sim-%s,%s,%s\n", p, b, $3, $4, l; split($6, c, "="); printf "%s,%s,cpu-sim-%s,%s,%s\n", p, b, $3, c[2], l }' >>"$out"
}
load() { # PAIR NAME BINARY
	local load1
	load1=$(cut -d' ' -f1 /proc/loadavg)
	load/bench/compare.sh -n -b "$3" "$secs" | tee /dev/stderr | awk -v p="$1" -v b="$2" -v l="$load1" \
		'$1 == "RESULT" { printf "%s,%s,load-%s,%s,%s\n", p, b, $3, $4, l; split($6, c, "="); printf "%s,%s,cpu-load-%s,%s,%s\n", p, b, $3, c[2], l }' >>"$out"
}
for p in $(seq "$pairs"); do
	for m in sim load; do
		if [ $((p % 2)) = 1 ]; then
			$m "$p" before "$before"; $m "$p" after "$after"
		else
			$m "$p" after "$after"; $m "$p" before "$before"
		fi
	done
done
summarize() {
	awk -F, 'NR > 1 { v[$3 "," $2] = v[$3 "," $2] " " $4; r[$3 "," $1 "," $2] = $4; w[$3] = 1; n[$1] = 1 }
	function med(s,   a, k, i, j, t) {
		k = split(s, a, " ")
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		lo = a[1]; hi = a[k]
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		printf "%-20s %12s %22s %12s %22s %8s\n", "what", "before med", "(min-max)", "after med", "(min-max)", "ratio"
		for (x in w) {
			mb = med(v[x ",before"]); lb = lo; hb = hi
			ma = med(v[x ",after"]); la = lo; ha = hi
			rs = ""; for (p in n) if (r[x "," p ",before"] > 0) rs = rs " " r[x "," p ",after"] / r[x "," p ",before"]
			printf "%-20s %12.0f %10.0f-%-11.0f %12.0f %10.0f-%-11.0f %8.3f\n", x, mb, lb, hb, ma, la, ha, med(rs)
		}
	}' "$1"
}
summarize "$out"
