#!/bin/sh
# The nightly build against the full one, per stage, at about N questions
# (default 100,000): bench/replicate.py makes the site (all real Stack
# Exchange sets pooled, word-shuffled replicas), bench/nightly.py the
# night's change (1% of questions edited, 0.5% added).  Three builds on
# one store and output: from scratch (full), after the change (nightly),
# the same input again (same).  Prints per run the stages' wall seconds
# (ingest summed over sources, index, render), the whole build's wall
# and CPU seconds and peak RSS, the pages rendered, and the store's size
# against the dump's.  The machine is shared: compare CPU seconds.
# usage: bench/nightly.sh [N]   (from the repository root; OUT: the
#   working folder, default bench/out/nightly/N)
set -eu
N=${1:-100000}
DATA=${SHARED:-../shared}/data
FAQ=${FAQTORY:-./faqtory}
out=${OUT:-bench/out/nightly/$N}
mkdir -p "$out"
POSTS="$DATA/eosio.meta.stackexchange.com/Posts.xml
$DATA/cardano.stackexchange.com/Posts.xml
$DATA/quantumcomputing.stackexchange.com/Posts.xml
$DATA/dba.meta.stackexchange.com/Posts.xml
$DATA/beer.stackexchange.com/Posts.xml"
if [ ! -d "$out/src2" ]; then
	rm -rf "$out/src" "$out/src2"
	# shellcheck disable=SC2086
	python3 bench/replicate.py "$N" "$out/src" $POSTS >/dev/null
	python3 bench/nightly.py "$out/src" "$out/src2" 1 0.5 >/dev/null
fi
rm -rf "$out/s.db" "$out/site" "$out/site.releases"
xml=$(cat "$out"/src/*/Posts.xml | wc -c)

printf '%-8s %8s %8s %8s %8s %8s %8s %9s %9s %9s\n' run ingest_s index_s \
	render_s total_s cpu_s peak_MB rendered store_MB store/xml
for run in full nightly same; do
	src=src2
	[ $run = full ] && src=src
	FAQTORY_TIMING=1 /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" \
		$FAQ build --db "$out/s.db" --out "$out/site" "$out/$src"/* \
		2>"$out/err_$run.txt"
	ing=$(sed -n 's/^ingest .* in \([0-9.]*\) s$/\1/p' "$out/err_$run.txt" |
		awk '{ s += $1 } END { printf "%.1f", s }')
	idx=$(sed -n 's/^index: .* in \([0-9.]*\) s$/\1/p' "$out/err_$run.txt" | tail -1)
	ren=$(sed -n 's/^render: .*, \([0-9.]*\) s)$/\1/p' "$out/err_$run.txt")
	rnd=$(sed -n 's/^render: pages .*(\([0-9]*\) rendered)$/\1/p' "$out/err_$run.txt")
	set -- $(cat "$out/time.txt")
	db=$(stat -c %s "$out/s.db")
	printf '%-8s %8s %8s %8s %8s %8.1f %8.0f %9s %9.0f %9.2f\n' $run "$ing" \
		"${idx:-?}" "$ren" "$1" "$(echo "$2 + $3" | bc -l)" \
		"$(echo "$4 / 1024" | bc -l)" "${rnd:-?}" \
		"$(echo "$db / 1048576" | bc -l)" "$(echo "$db / $xml" | bc -l)"
done
