#!/bin/sh
# Index + cluster time and peak memory at about 10k and 100k questions:
# all real Stack Exchange sets pooled, then word-shuffled replicas
# (bench/replicate.py).  Medians of RUNS full (from scratch) index runs.
# usage: bench/scale.sh [RUNS]   (from the repository root)
set -eu
RUNS=${1:-3}
DATA=${SHARED:-../shared}/data
FAQ=${FAQTORY:-./faqtory}
out=bench/out/scale
mkdir -p "$out"
POSTS="$DATA/eosio.meta.stackexchange.com/Posts.xml
$DATA/cardano.stackexchange.com/Posts.xml
$DATA/quantumcomputing.stackexchange.com/Posts.xml
$DATA/dba.meta.stackexchange.com/Posts.xml
$DATA/beer.stackexchange.com/Posts.xml"
. bench/lib.sh

printf '%-8s %9s %9s %9s %9s %10s %8s\n' target questions index_s cluster_s total_s peak_MB cpu_%
for n in 10000 100000; do
	d=$out/$n
	db=$out/s$n.db
	if [ ! -s "$db" ]; then
		rm -rf "$d"; mkdir -p "$d"
		# shellcheck disable=SC2086
		python3 bench/replicate.py "$n" "$d" $POSTS >/dev/null
		# shellcheck disable=SC2086
		$FAQ ingest --quiet --db "$db" "$d"/*
	fi
	q=$(sqlite3 "$db" "SELECT count(*) FROM threads")
	: >"$out/t.txt"; : >"$out/c.txt"; : >"$out/e.txt"; : >"$out/m.txt"; : >"$out/p.txt"
	i=0
	while [ $i -lt "$RUNS" ]; do
		sqlite3 "$db" "DELETE FROM index_meta"   # next run starts from scratch
		/usr/bin/time -f '%e %M %P' -o "$out/time.txt" $FAQ index --db "$db" 2>"$out/err.txt"
		sed -n 's/.* in \([0-9.]*\) s; .* in \([0-9.]*\) s$/\1 \2/p' "$out/err.txt" >"$out/ph.txt"
		cut -d' ' -f1 "$out/ph.txt" >>"$out/t.txt"
		cut -d' ' -f2 "$out/ph.txt" >>"$out/c.txt"
		cut -d' ' -f1 "$out/time.txt" >>"$out/e.txt"
		cut -d' ' -f2 "$out/time.txt" >>"$out/m.txt"
		cut -d' ' -f3 "$out/time.txt" | tr -d % >>"$out/p.txt"
		i=$((i + 1))
	done
	printf '%-8s %9d %9s %9s %9s %10.1f %8s\n' "$n" "$q" "$(median <"$out/t.txt")" \
		"$(median <"$out/c.txt")" "$(median <"$out/e.txt")" \
		"$(echo "$(median <"$out/m.txt") / 1024" | bc -l)" "$(median <"$out/p.txt")"
	echo "$q $(median <"$out/e.txt")" >"$out/total_$n.txt"
done
set -- $(cat "$out/total_10000.txt") $(cat "$out/total_100000.txt")
awk -v n1="$1" -v t1="$2" -v n2="$3" -v t2="$4" 'BEGIN {
	r = t2 / t1; nl = (n2 * log(n2)) / (n1 * log(n1))
	printf "time ratio %.2f for %.1fx questions (n log n ratio %.2f): %s\n",
		r, n2 / n1, nl, r <= nl ? "within n log n" : "worse than n log n" }'
