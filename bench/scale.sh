#!/bin/sh
# Big communities, nightly: one Stack Exchange site of N questions made
# of word-permuted copies of the shared sites (bench/scale_site.py), for
# each N given (default 100000 and 1000000).  Prints per-stage wall time
# and peak memory of a full build (ingest, index, render into a fresh
# store and folder), then of a nightly build after 1% of the questions
# are edited and 0.5% added, then the same as the cron job runs it: a
# whole `faqtory build` into published releases, from scratch, after the
# night's change, and after a second night (the change undone: the
# first build that updates an older release in place), each with its
# stages (FAQTORY_TIMING), wall and CPU seconds and peak (for the first N
# only); then the
# growth of the full build against n log n.  Times are wall seconds
# (cpu_s: user + system).  SPEEDUP=1: also the whole `faqtory build` of
# the first N on --jobs 1 and --jobs 2.  Needs about 9 GB of disk per 1M
# questions (two Posts.xml) plus the stores and sites; the generated
# data is deleted at the end unless KEEP=1.
# usage: bench/scale.sh [N...]   (from the repository root; SHARED)
set -eu
DATA=${SHARED:-../shared}/data
FAQ=${FAQTORY:-./faqtory}
out=bench/out/scale
mkdir -p "$out"
. bench/lib.sh
[ $# -gt 0 ] || set -- 100000 1000000
first=$1
POSTS=""
for s in eosio.meta cardano quantumcomputing dba.meta beer; do
	POSTS="$POSTS $DATA/$s.stackexchange.com/Posts.xml"
done

# stage NAME CMD...: runs one stage, appends "NAME seconds peakMB
# cpu_seconds" (the CPU time says what the stage cost when other work
# shares the machine).
stage() {
	name=$1; shift
	/usr/bin/time -f '%e %M %U %S' -o "$out/time.txt" "$@" >/dev/null \
	    2>"$out/err.txt" || { cat "$out/err.txt" >&2; exit 1; }
	awk -v n="$name" '{ printf "%s %s %d %.1f\n", n, $1, $2 / 1024, $3 + $4 }' \
	    "$out/time.txt" >>"$out/run.txt"
}

# one_build N KIND SRC: ingest, index and render of the site SRC in $d;
# prints its table line.
one_build() {
	: >"$out/run.txt"
	stage ingest $FAQ ingest --db "$db" "$3/big.stackexchange.com"
	stage index $FAQ index --db "$db"
	stage render $FAQ render --db "$db" --out "$d/site"
	awk -v n="$1" -v k="$2" '{ t[NR] = $2; m[NR] = $3; s += $2; c += $4
		if ($3 > p) p = $3 }
	END { printf "%-9s %-13s %9.1f %9.1f %9.1f %9.1f %7.1f %7d %7d %7d %7d\n",
		n, k, t[1], t[2], t[3], s, c, m[1], m[2], m[3], p
		print s >"'"$out"'/total_" n ".txt" }' "$out/run.txt"
}

# cron_build N KIND SRC: `faqtory build` of SRC into $d/pub (releases);
# prints its table line: the stages from FAQTORY_TIMING, the command's
# wall and CPU seconds and peak (one process: one peak for all stages).
cron_build() {
	FAQTORY_TIMING=1 /usr/bin/time -f '%e %M %U %S' -o "$out/time.txt" \
	    $FAQ build --db "$d/pub.db" --out "$d/pub" "$3/big.stackexchange.com" \
	    >/dev/null 2>"$out/err.txt" || { cat "$out/err.txt" >&2; exit 1; }
	ing=$(sed -n 's/^ingest .* in \([0-9.]*\) s$/\1/p' "$out/err.txt" | tail -1)
	idx=$(sed -n 's/^index: [0-9]* threads, .* in \([0-9.]*\) s$/\1/p' "$out/err.txt" | tail -1)
	ren=$(sed -n 's/^render: .*, \([0-9.]*\) s)$/\1/p' "$out/err.txt" | tail -1)
	awk -v n="$1" -v k="build:$2" -v i="$ing" -v x="$idx" -v r="$ren" '{
		printf "%-9s %-13s %9.1f %9.1f %9.1f %9.1f %7.1f %7s %7s %7s %7d\n",
		    n, k, i, x, r, $1, $3 + $4, "-", "-", "-", $2 / 1024 }' "$out/time.txt"
}

printf '%-9s %-13s %9s %9s %9s %9s %7s %7s %7s %7s %7s\n' questions build \
    ingest_s index_s render_s total_s cpu_s ing_MB idx_MB ren_MB peak_MB
for n in "$@"; do
	d=$out/$n db=$out/$n/store.db
	rm -rf "$d"; mkdir -p "$d"
	# shellcheck disable=SC2086
	python3 bench/scale_site.py "$n" "$d/a/big.stackexchange.com" $POSTS >/dev/null
	# shellcheck disable=SC2086
	python3 bench/scale_site.py --nightly "$n" "$d/b/big.stackexchange.com" $POSTS >/dev/null
	one_build "$n" full "$d/a"
	store=$(du -m "$db" | cut -f1)
	xml=$(du -m "$d/a/big.stackexchange.com/Posts.xml" | cut -f1)
	cp "$out/total_$n.txt" "$out/full_$n.txt"
	one_build "$n" nightly "$d/b"
	echo "          store ${store} MB for a ${xml} MB Posts.xml" >&2
	# The cron job's own rows for the first N only: at 1M they would
	# add a second full build of half an hour.
	if [ "$n" = "$first" ]; then
		rm -f "$db" "$db-wal" "$db-shm"; rm -rf "$d/site"
		for k in full:a nightly:b night2:a; do
			cron_build "$n" "${k%%:*}" "$d/${k#*:}"
		done
	fi
	if [ "${SPEEDUP:-}" = 1 ] && [ "$n" = "$first" ]; then
		for j in 1 2; do
			rm -rf "$d/b$j" "$d/b$j.db"*
			set -- $(run_timed $FAQ build --jobs $j --db "$d/b$j.db" \
			    --out "$d/b$j" "$d/a/big.stackexchange.com")
			echo "$1" >"$out/jobs$j.txt"
		done
		awk -v a="$(cat "$out/jobs1.txt")" -v b="$(cat "$out/jobs2.txt")" \
		    'BEGIN { printf "whole build: --jobs 1 %.1f s, --jobs 2 %.1f s: %.2fx\n", a, b, a / b }'
	fi
	[ "${KEEP:-}" = 1 ] || rm -rf "$d"
done
if [ -s "$out/full_100000.txt" ] && [ -s "$out/full_1000000.txt" ]; then
	awk -v t1="$(cat "$out/full_100000.txt")" -v t2="$(cat "$out/full_1000000.txt")" 'BEGIN {
	r = t2 / t1; nl = 10 * log(1e6) / log(1e5)
	printf "full build: %.2fx the time for 10x the questions (n log n: %.2fx): %s\n",
		r, nl, r <= nl ? "within n log n" : "worse than n log n" }'
fi
