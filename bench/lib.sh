# shellcheck shell=sh disable=SC2154
# Shared by the bench scripts: sourced (`. bench/lib.sh`) from the
# repository root after they set FAQ, DATA and out.

# median: the median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run_timed CMD...: prints "seconds peakKB" of one run (time(1)'s %e,
# 10 ms steps; bench/render.sh times from the clock instead).
run_timed() {
	/usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >/dev/null 2>"$out/err.txt" ||
		{ cat "$out/err.txt" >&2; exit 1; }
	cat "$out/time.txt"
}

# timed_ingest DB SRC SECONDS_FILE KB_FILE: one ingest of SRC into a
# fresh store DB; appends its seconds and peak KB to the two files.
timed_ingest() {
	rm -f "$1" "$1-wal" "$1-shm"
	# shellcheck disable=SC2086
	run_timed $FAQ ingest --quiet --db "$1" "$2" >"$out/one.txt"
	cut -d' ' -f1 "$out/one.txt" >>"$3"
	cut -d' ' -f2 "$out/one.txt" >>"$4"
}

# se_stores: the Stack Exchange sites of the shared data into
# $out/nd.db without their duplicate links (what the related questions,
# clusters and search are measured on) and into $out/human.db with them
# (where the human pairs come from).  Sets srcs to the sites' paths.
se_stores() {
	srcs=""
	for s in eosio.meta.stackexchange.com cardano.stackexchange.com \
	    quantumcomputing.stackexchange.com dba.meta.stackexchange.com \
	    beer.stackexchange.com/beer.stackexchange.com.7z; do
		srcs="$srcs $DATA/$s"
	done
	# shellcheck disable=SC2086
	$FAQ ingest --quiet --no-duplicate-links --db "$out/nd.db" $srcs
	# shellcheck disable=SC2086
	$FAQ ingest --quiet --db "$out/human.db" $srcs
}
