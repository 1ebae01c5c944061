#!/bin/sh
# The judged pairs of make eval: the data file keeps its shape (a
# judging rule, at least 100 random cluster pairs, a < b, one verdict
# per pair) and bench/judged.py counts pairs per level on a tiny
# clusters file whose answer is known.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TSV=$ROOT/tests/data/judged_pairs.tsv

check "judged: rule written" grep -q '^# Judging rule' "$TSV"
check "judged: well-formed rows" awk -F'\t' '
	/^#/ { next }
	NF != 6 || $2 + 0 >= $3 + 0 || $4 !~ /^(same|different)$/ ||
	    $5 !~ /^(cluster|issue|neighbour|human)$/ || seen[$1 " " $2 " " $3]++ {
		print "bad: " $0; bad = 1 }
	$5 == "cluster" { n++ }
	$5 == "issue" { ni++ }
	END { exit bad || n < 100 || ni < 100 }' "$TSV"

# One issue holding a judged "same" pair and one topic holding a judged
# "different" pair (beer 0/488 is judged different, beer 2/993 same).
cat >"$T/c.json" <<'JSON'
{"clusters":[
{"id":1,"level":"issue","canonical":{"source":"beer.stackexchange.com","id":2},
 "members":[{"source":"beer.stackexchange.com","id":2},
            {"source":"beer.stackexchange.com","id":993}]},
{"id":2,"canonical":{"source":"beer.stackexchange.com","id":200},
 "members":[{"source":"beer.stackexchange.com","id":200},
            {"source":"beer.stackexchange.com","id":488}]}]}
JSON
python3 "$ROOT/bench/judged.py" "$TSV" "$T/c.json" >"$T/out" 2>&1
check "judged: issue pooled 1 same of 1" \
	grep -Eq '^issue +pooled +1 +1 +1\.000' "$T/out"
check "judged: topic pooled 1 judged, 0 same" \
	grep -Eq '^topic +pooled +1 +0 +0\.000' "$T/out"
check "judged: warns under 100" grep -q '^warning: only 1 judged pairs fall within issue' "$T/out"
