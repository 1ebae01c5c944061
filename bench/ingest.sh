#!/bin/sh
# Ingest throughput and peak memory against xmllint --stream on the same
# file, at 1x and 20x the beer site's Posts.xml.  Medians of RUNS runs.
# usage: bench/ingest.sh [RUNS]   (from the repository root)
set -eu
RUNS=${1:-5}
DATA=${SHARED:-../shared}/data
out=bench/out
mkdir -p "$out"
FAQ=${FAQTORY:-${FAQ:-./faqtory}}

. bench/lib.sh

printf '%-6s %9s %10s %10s %9s %9s %8s %11s\n' size MB xmllint_s faqtory_s \
	xmllintMB/s faqMB/s ratio faq_peak_MB
for n in 1 20; do
	d=$out/amp${n}x.stackexchange.com
	mkdir -p "$d"
	[ -s "$d/Posts.xml" ] ||
		python3 bench/amplify.py "$DATA/beer.stackexchange.com/Posts.xml" $n "$d/Posts.xml"
	bytes=$(stat -c %s "$d/Posts.xml")
	: >"$out/x.txt"; : >"$out/f.txt"; : >"$out/m.txt"
	i=0
	while [ $i -lt "$RUNS" ]; do
		run_timed xmllint --stream --noout "$d/Posts.xml" | cut -d' ' -f1 >>"$out/x.txt"
		timed_ingest "$out/b.db" "$d" "$out/f.txt" "$out/m.txt"
		i=$((i + 1))
	done
	xs=$(median <"$out/x.txt"); fs=$(median <"$out/f.txt"); mk=$(median <"$out/m.txt")
	awk -v n="${n}x" -v b="$bytes" -v xs="$xs" -v fs="$fs" -v mk="$mk" 'BEGIN {
		xm = b / 1e6 / xs; fm = b / 1e6 / fs
		printf "%-6s %9.1f %10.2f %10.2f %9.1f %9.1f %8.2f %11.1f\n",
			n, b / 1e6, xs, fs, xm, fm, fm / xm, mk / 1024 }'
	echo "$mk" >"$out/peak_${n}x.txt"
done
p1=$(cat "$out/peak_1x.txt"); p20=$(cat "$out/peak_20x.txt")
awk -v a="$p1" -v b="$p20" 'BEGIN { printf "peak memory 20x/1x: %.2f\n", b / a }'
