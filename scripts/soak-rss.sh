#!/bin/sh
# soak-rss.sh: run a wabcheck load soak and record its memory.
#
#   scripts/soak-rss.sh BINARY OUTDIR [load flags...]
#
# Starts `BINARY load --report-dir OUTDIR/report [load flags...]` (default
# flags: --profile soak), samples the process's resident set size from
# /proc/PID/status every 10 s into OUTDIR/rss.csv (seconds,rss_kib), and
# draws OUTDIR/rss.svg: RSS over time with the ±20 % band around the
# sample at 60 s (issue 12: "RSS after the first minute stays within
# ±20 % to the end"). It prints the band check and exits with the load
# run's exit code. Linux only (/proc).
set -eu

[ $# -ge 2 ] || { echo "usage: $0 BINARY OUTDIR [load flags...]" >&2; exit 2; }
bin=$1 out=$2
shift 2
[ $# -gt 0 ] || set -- --profile soak
mkdir -p "$out"

"$bin" load --report-dir "$out/report" "$@" >"$out/load.log" 2>&1 &
pid=$!
echo "seconds,rss_kib" >"$out/rss.csv"
t=0
while kill -0 "$pid" 2>/dev/null; do
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
	[ -n "$rss" ] && echo "$t,$rss" >>"$out/rss.csv"
	sleep 10
	t=$((t + 10))
done
set +e
wait "$pid"
rc=$?
set -e

awk -F, -v svg="$out/rss.svg" '
NR == 1 { next }
{ s[n] = $1; r[n] = $2 / 1024; if ($2 / 1024 > top) top = $2 / 1024; n++ }
END {
	if (n == 0) { print "no samples"; exit 1 }
	ref = 0; for (i = 0; i < n; i++) if (s[i] == 60) ref = r[i]
	lo = ref * 0.8; hi = ref * 1.2; ok = 1
	for (i = 0; i < n; i++) if (s[i] >= 60 && (r[i] < lo || r[i] > hi)) ok = 0
	ymax = (hi > top ? hi : top) * 1.1; xmax = s[n - 1] > 0 ? s[n - 1] : 1
	W = 640; H = 300; L = 60; B = 40; T = 20; R = 20
	pw = W - L - R; ph = H - T - B
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n", W, H > svg
	printf "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H > svg
	if (ref > 0) {
		y1 = T + ph - hi / ymax * ph; y2 = T + ph - lo / ymax * ph
		printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2e9d57\" fill-opacity=\"0.12\"/>\n", L + 60 / xmax * pw, y1, pw - 60 / xmax * pw, y2 - y1 > svg
		printf "<text x=\"%d\" y=\"%.1f\" fill=\"#2e9d57\">±20%% of RSS at 60 s (%.1f MB)</text>\n", L + 8, y1 - 4, ref > svg
	}
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", L, T + ph, L + pw, T + ph > svg
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", L, T, L, T + ph > svg
	for (k = 0; k <= 4; k++) {
		v = ymax * k / 4; y = T + ph - v / ymax * ph
		printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f MB</text>\n", L - 6, y + 4, v > svg
		x = L + pw * k / 4
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f s</text>\n", x, T + ph + 16, xmax * k / 4 > svg
	}
	printf "<polyline fill=\"none\" stroke=\"#2a6fdb\" stroke-width=\"2\" points=\"" > svg
	for (i = 0; i < n; i++) printf "%.1f,%.1f ", L + s[i] / xmax * pw, T + ph - r[i] / ymax * ph > svg
	printf "\"/>\n<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">RSS of wabcheck load, sampled every 10 s</text>\n</svg>\n", L + pw / 2, H - 6 > svg
	printf "samples %d, RSS at 60 s %.1f MB, min after 60 s %.1f MB, max %.1f MB: %s\n", n, ref, minafter(), top, ok ? "within ±20 %" : "OUTSIDE ±20 %"
}
function minafter(   i, m) { m = 1e18; for (i = 0; i < n; i++) if (s[i] >= 60 && r[i] < m) m = r[i]; return m }
' "$out/rss.csv"
exit "$rc"
