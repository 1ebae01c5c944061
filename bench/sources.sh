#!/bin/sh
# Discourse ingest throughput (MB/s of JSON parsed) and peak memory, from
# the .tar.xz as shipped (read as a stream through libarchive) and from
# an unpacked folder of the same topics in bench/out/ (gitignored).
# Also the GitHub Discussions export.  Medians of RUNS runs.
# usage: bench/sources.sh [RUNS]   (from the repository root)
set -eu
RUNS=${1:-3}
DATA=${SHARED:-../shared}/data
out=bench/out
mkdir -p "$out"
FAQ=${FAQTORY:-./faqtory}
TXZ=$DATA/discourse-urho3d/urho3d-topics.tar.xz
DIR=$out/urho3d-topics
if [ ! -d "$DIR" ]; then
	mkdir -p "$DIR.tmp"
	tar xJf "$TXZ" -C "$DIR.tmp" --strip-components=3
	mv "$DIR.tmp" "$DIR"
fi
mb=$(du -sb "$DIR" | awk '{printf "%.1f", $1 / 1e6}')

. bench/lib.sh

printf '%-28s %8s %9s %8s %11s\n' input JSON_MB seconds MB/s peak_MB
for src in "$TXZ" "$DIR" "$DATA/github-discussions-payloadcms"; do
	case $src in
	*github*) m=$(du -sb "$src" | awk '{printf "%.1f", $1 / 1e6}') ;;
	*) m=$mb ;;
	esac
	: >"$out/s.txt"; : >"$out/m.txt"
	i=0
	while [ $i -lt "$RUNS" ]; do
		timed_ingest "$out/src.db" "$src" "$out/s.txt" "$out/m.txt"
		i=$((i + 1))
	done
	s=$(median <"$out/s.txt"); k=$(median <"$out/m.txt")
	awk -v n="$(basename "$src")" -v m="$m" -v s="$s" -v k="$k" 'BEGIN {
		printf "%-28s %8.1f %9.2f %8.1f %11.1f\n", n, m, s, m / s, k / 1024 }'
done
