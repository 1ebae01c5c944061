#!/bin/sh
# Proof for a restructuring: two binaries build every shared source and
# the 20x beer store (bench/amplify.py) from scratch with `faqtory build`
# (ingest, index, render, report, publish), and the sites, the reports
# and the stores' tables are compared.  Prints one line per source and
# `diff -rq` of whatever differs; exit 1 if anything does.
# usage: bench/identical.sh OLD_FAQTORY NEW_FAQTORY [SOURCE...]
#   (from the repository root; SHARED as for the tests; default: all)
set -u
[ $# -ge 2 ] || { echo "usage: bench/identical.sh OLD NEW [SOURCE...]" >&2; exit 2; }
OLD=$1 NEW=$2
shift 2
DATA=${SHARED:-../shared}/data
mkdir -p bench/out/identical; out=$(cd bench/out/identical && pwd)

if [ $# -eq 0 ]; then
	amp=$(pwd)/bench/out/amp20x.stackexchange.com
	[ -s "$amp/Posts.xml" ] || { mkdir -p "$amp" &&
		python3 bench/amplify.py "$DATA/beer.stackexchange.com/Posts.xml" 20 "$amp/Posts.xml"; }
	set -- "$DATA"/eosio.meta.stackexchange.com "$DATA"/cardano.stackexchange.com \
	    "$DATA"/quantumcomputing.stackexchange.com "$DATA"/dba.meta.stackexchange.com \
	    "$DATA"/beer.stackexchange.com "$DATA"/discourse-urho3d/urho3d-topics.tar.xz \
	    "$DATA"/github-discussions-payloadcms/discussions.json "$amp"
fi
# The tables every stage writes, rows sorted: the store's content
# without SQLite's page layout (which a different insert order changes
# without changing a byte of output).
tables() {
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE type='table'
	    AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"); do
		echo "== $t"
		sqlite3 "$1" "SELECT * FROM \"$t\"" | LC_ALL=C sort
	done
}
build() { # binary, source, folder
	rm -rf "$3"; mkdir -p "$3"
	cat >"$3/faqtory.ini" <<INI
[site]
title = Identical
base_url = https://faq.example.com/
content_license = CC BY-SA 4.0
[build]
db = $3/store.db
out = $3/site
report = $3/report
source = $2
INI
	"$1" build --quiet --config "$3/faqtory.ini" 2>"$3/err" || {
		echo "$1 build failed: $(head -2 "$3/err")"; return 1; }
	tables "$3/store.db" >"$3/tables.txt"
}
rc=0
for src in "$@"; do
	case $src in /*) ;; *) src=$(pwd)/$src ;; esac
	name=$(basename "$src")
	a=$out/$name.old b=$out/$name.new
	build "$OLD" "$src" "$a" && build "$NEW" "$src" "$b" || { rc=1; continue; }
	d=$(diff -rq "$a/site/" "$b/site/"; diff -rq "$a/report/" "$b/report/";
	    cmp -s "$a/tables.txt" "$b/tables.txt" || echo "tables differ: $a/tables.txt $b/tables.txt")
	n=$(find "$a/site/" "$a/report/" -type f | wc -l)
	if [ -z "$d" ]; then
		echo "identical: $name ($n files, $(grep -c . "$a/tables.txt") table lines)"
	else
		echo "DIFFERENT: $name"; echo "$d" | head -40; rc=1
	fi
done
exit $rc
