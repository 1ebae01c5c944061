#!/bin/sh
# Trends: the false-alarm rate of the rising flag under a null model,
# and the burst test on every Stack Exchange site (docs/trends.md).
#
#  null model  every shared site in one store; for each of SEEDS seeds the
#              question dates are shuffled at random within each source
#              (bench/trends_null.py), the store re-indexed, and every
#              rising flag counted: each one is a false alarm.
#  burst       per Stack Exchange site: 15 rephrased questions about one
#              recurring issue dated in its final two weeks
#              (tests/e2e/trends_edit.py); the rank of that issue's rising
#              flag in `faqtory trends --json`.
#
# usage: bench/trends.sh   (from the repository root; FAQTORY, SHARED, SEEDS)
set -eu
cd "$(dirname "$0")/.."
FAQ=${FAQTORY:-./faqtory}
DATA=${SHARED:-../shared}/data
SEEDS=${SEEDS:-20}
out=bench/out/trends
mkdir -p "$out"
rm -rf "$out"/null.db* "$out"/burst

SE="eosio.meta.stackexchange.com cardano.stackexchange.com
quantumcomputing.stackexchange.com dba.meta.stackexchange.com
beer.stackexchange.com"
ALL="$SE discourse-urho3d github-discussions-payloadcms"

srcs=""
for s in $ALL; do
	f=$DATA/$s
	[ -d "$f" ] || continue
	for x in "$f"/*.tar.xz "$f"/*.json; do [ -f "$x" ] && f=$x && break; done
	srcs="$srcs $f"
done
# shellcheck disable=SC2086
$FAQ ingest --quiet --db "$out/null.db" $srcs
echo "null model: $SEEDS seeds, question dates shuffled within each source"
printf '%-36s %6s %9s %8s %s\n' source runs "clusters" alarms "false-alarm rate (runs with a rising flag)"
for seed in $(seq 1 "$SEEDS"); do
	python3 bench/trends_null.py "$out/null.db" "$seed"
	$FAQ index --quiet --db "$out/null.db"
	$FAQ trends --json --db "$out/null.db" >"$out/null-$seed.json"
	sqlite3 -separator ' ' "$out/null.db" "SELECT s.name,
	    (SELECT count(*) FROM issues c JOIN threads t ON
	     t.id=c.canonical_thread WHERE t.source_id=s.id),
	    (SELECT count(*) FROM flags f JOIN threads t ON t.id=f.thread_id
	     WHERE f.kind='rising' AND t.source_id=s.id)
	    FROM sources s ORDER BY s.name" >>"$out/null-runs.txt.$$"
done
awk '{ runs[$1]++; cl[$1] += $2; al[$1] += $3; hit[$1] += ($3 > 0) }
END { for (s in runs) { printf "%-36s %6d %9d %8d %d/%d\n", s, runs[s],
	cl[s] / runs[s], al[s], hit[s], runs[s]; R += runs[s]; H += hit[s];
	A += al[s]; C += cl[s] }
	printf "%-36s %6d %9d %8d %d/%d = %.3f (per cluster test: %.5f)\n",
	"all", R, C / (R ? R : 1), A, H, R, H / (R ? R : 1), A / (C ? C : 1) }' \
	"$out/null-runs.txt.$$" | sort
rm -f "$out/null-runs.txt.$$"

echo
echo "burst: 15 rephrased questions about one issue in the final two weeks"
for s in $SE; do
	d=$out/burst/$s
	mkdir -p "$d/orig/$s"
	for f in Posts Comments PostLinks Users Tags; do
		[ -f "$DATA/$s/$f.xml" ] && cp "$DATA/$s/$f.xml" "$d/orig/$s/"
	done
	$FAQ ingest --quiet --db "$d/t.db" "$d/orig/$s"
	$FAQ index --quiet --db "$d/t.db"
	$FAQ clusters --json --level issue --db "$d/t.db" >"$d/clusters.json"
	$FAQ trends --json --db "$d/t.db" >"$d/before.json"
	if ! python3 tests/e2e/trends_edit.py "$d/orig/$s" "$d/edit/$s" \
	    "$d/clusters.json" "$d/before.json" "$d/picks.json" 2>/dev/null; then
		printf '%-36s no issue of 3 to 5 questions to burst\n' "$s"
		continue
	fi
	$FAQ ingest --quiet --db "$d/t.db" "$d/edit/$s"
	$FAQ index --quiet --db "$d/t.db"
	$FAQ trends --json --db "$d/t.db" >"$d/after.json"
	python3 - "$s" "$d/after.json" "$d/picks.json" "$d/t.db" <<'EOF'
import json, sqlite3, sys
d = json.load(open(sys.argv[2])); p = json.load(open(sys.argv[3]))
# The issue's flag: a rising cluster holding the burst's questions.
db = sqlite3.connect(sys.argv[4])
ours = set(p["burst"] + p["burst_new"])
def holds(c):
    return c is not None and any(e in ours for (e,) in db.execute(
        "SELECT t.ext_id FROM issue_members m JOIN threads t"
        " ON t.id=m.thread_id WHERE m.issue_id=?", (c,)))
rank = next((i + 1 for i, f in enumerate(d["flags"]) if f["kind"] == "rising"
             and holds(f["cluster"])), None)
n = sum(f["kind"] == "rising" for f in d["flags"])
print("%-36s rank %s of %d flags (%d rising)" % (sys.argv[1], rank,
      len(d["flags"]), n))
EOF
done
