#!/bin/sh
# Site rendering against Hugo (Debian's hugo) on the same entries: the
# beer site at 1x and 20x (bench/amplify.py).  faqtory renders from its
# store; Hugo builds the same entry pages exported as HTML content files
# (bench/hugo_export.py) with an equivalent minimal layout, plus its tag
# pages and home.  Pages/s counts entry pages; peak memory from
# /usr/bin/time.  Medians of RUNS runs.  Then the nightly case: 1% of the
# questions edited, re-ingested, and the render of the changes timed
# against a full render.
# Both write their output to $BENCH_TMP (default /dev/shm when it
# exists): the figures then compare the tools, not the disk, which other
# jobs on a shared machine make very noisy.  BENCH_TMP=bench/out to
# measure on disk.
# usage: bench/render.sh [RUNS]   (from the repository root)
set -eu
RUNS=${1:-3}
DATA=${SHARED:-../shared}/data
out=bench/out
mkdir -p "$out"
tmp=${BENCH_TMP:-}
[ -z "$tmp" ] && [ -d /dev/shm ] && tmp=/dev/shm/faqtory-bench.$$
tmp=${tmp:-$out/tmp}
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
FAQ=${FAQTORY:-./faqtory}

. bench/lib.sh # median; its own run_timed below
# Wall time from the clock in ns (time(1)'s %e has 10 ms steps, a fifth
# of a 1x render); peak memory from time(1).
now_ns() { date +%s%N; }
run_timed() { # CMD...: prints "seconds peakKB"
	t0=$(now_ns)
	/usr/bin/time -f '%M' -o "$out/time.txt" "$@" >/dev/null 2>"$out/err.txt" ||
		{ cat "$out/err.txt" >&2; exit 1; }
	t1=$(now_ns)
	echo "$(( (t1 - t0) / 1000000 )) $(cat "$out/time.txt")" |
		awk '{ printf "%.3f %s\n", $1 / 1000, $2 }'
}

printf '%-5s %7s %9s %9s %10s %10s %8s %9s %9s %8s\n' size entries hugo_s faq_s \
	hugo_pg/s faq_pg/s speedup hugo_MB faq_MB mem_ratio
for n in 1 20; do
	d=$out/amp${n}x.stackexchange.com
	mkdir -p "$d"
	[ -s "$d/Posts.xml" ] ||
		python3 bench/amplify.py "$DATA/beer.stackexchange.com/Posts.xml" $n "$d/Posts.xml"
	# Always a fresh store: one left by an older build would be read
	# by this one with another index in it.
	db=$out/render${n}x.db
	rm -f "$db" "$db-wal" "$db-shm"
	$FAQ ingest --quiet --db "$db" "$d"
	$FAQ index --quiet --db "$db"
	site=$tmp/site${n}x
	rm -rf "$site" "$out/hugo${n}x" "$tmp/hpub"
	$FAQ render --quiet --db "$db" --out "$site"
	entries=$(python3 bench/hugo_export.py "$site" "$out/hugo${n}x")
	: >"$out/hs.txt"; : >"$out/hm.txt"; : >"$out/fs.txt"; : >"$out/fm.txt"
	i=0
	while [ $i -lt "$RUNS" ]; do
		rm -rf "$tmp/hpub" "$site"
		sync
		hpub=$tmp/hpub
		case $hpub in /*) ;; *) hpub=$PWD/$hpub ;; esac
		run_timed hugo --quiet -s "$out/hugo${n}x" -d "$hpub" >"$out/one.txt"
		cut -d' ' -f1 "$out/one.txt" >>"$out/hs.txt"; cut -d' ' -f2 "$out/one.txt" >>"$out/hm.txt"
		sync
		run_timed $FAQ render --quiet --db "$db" --out "$site" >"$out/one.txt"
		cut -d' ' -f1 "$out/one.txt" >>"$out/fs.txt"; cut -d' ' -f2 "$out/one.txt" >>"$out/fm.txt"
		i=$((i + 1))
	done
	hs=$(median <"$out/hs.txt"); hm=$(median <"$out/hm.txt")
	fs=$(median <"$out/fs.txt"); fm=$(median <"$out/fm.txt")
	awk -v n="${n}x" -v e="$entries" -v hs="$hs" -v fs="$fs" -v hm="$hm" -v fm="$fm" 'BEGIN {
		if (fs < 0.01) fs = 0.01
		printf "%-5s %7d %9.3f %9.3f %10.0f %10.0f %7.1fx %9.1f %9.1f %8.2f\n",
			n, e, hs, fs, e / hs, e / fs, hs / fs, hm / 1024, fm / 1024, fm / hm }'
	echo "$fs" >"$out/full_${n}x.txt"
done

# Nightly rebuild at 20x: 1% of the questions edited in the dump.
d=$out/amp20x.stackexchange.com
e=$out/edit20x.stackexchange.com
mkdir -p "$e"
python3 - "$d/Posts.xml" "$e/Posts.xml" <<'PY'
import re, sys
src, dst = sys.argv[1], sys.argv[2]
q = 0
with open(src, encoding="utf-8-sig", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as o:
    o.write("\ufeff")
    for line in f:
        if 'PostTypeId="1"' in line:
            q += 1
            if q % 100 == 0:
                line = line.replace(' Body="', ' Body="&lt;p&gt;Edited.&lt;/p&gt;', 1)
        o.write(line)
PY
rm -f "$out/edit.db" "$out/edit.db-wal" "$out/edit.db-shm"
cp "$out/render20x.db" "$out/edit.db"
# The edited dump keeps the source name of the original (same site).
mv "$d" "$d.orig" && mv "$e" "$d"
$FAQ ingest --quiet --db "$out/edit.db" "$d" || true
mv "$d" "$e" && mv "$d.orig" "$d"
$FAQ index --quiet --db "$out/edit.db"
: >"$out/rs.txt"
i=0
while [ $i -lt "$RUNS" ]; do
	rm -rf "$tmp/rebuild"
	cp -a "$tmp/site20x" "$tmp/rebuild"
	sync
	t0=$(now_ns)
	$FAQ render --db "$out/edit.db" --out "$tmp/rebuild" 2>"$out/rerr.txt" >/dev/null
	t1=$(now_ns)
	echo "$(( (t1 - t0) / 1000000 ))" | awk '{ printf "%.3f\n", $1 / 1000 }' >>"$out/rs.txt"
	i=$((i + 1))
done
rs=$(median <"$out/rs.txt")
full=$(cat "$out/full_20x.txt")
grep '^render:' "$out/rerr.txt"
awk -v r="$rs" -v f="$full" 'BEGIN { if (f < 0.01) f = 0.01
	printf "rebuild after 1%% of questions changed (20x): %.3f s vs full %.3f s = %.0f%%\n", r, f, 100 * r / f }'
rm -rf "$tmp/rebuild" "$tmp/hpub"
