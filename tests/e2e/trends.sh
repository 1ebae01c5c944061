#!/bin/sh
# faqtory trends: each flag kind on real and minimally edited real data
# (beer.stackexchange.com, copied at test time), the burst test (15
# rephrased questions about one recurring issue in the final two weeks
# rank its rising flag in the top 3), JSON/CSV/text shapes, dismissal.
. tests/e2e/lib.sh

SITE=beer.stackexchange.com
mkdir -p "$T/orig/$SITE"
for f in Posts Comments PostLinks Users Tags; do
	cp "$DATA/$SITE/$f.xml" "$T/orig/$SITE/"
done
db=$T/t.db
$FAQTORY ingest --quiet --db "$db" "$T/orig/$SITE" 2>"$T/err" &&
	$FAQTORY index --quiet --db "$db" 2>>"$T/err"
check "index the real site" [ $? -eq 0 ]
$FAQTORY trends --db "$db" --json >"$T/before.json" 2>"$T/err"
check "trends --json exits 0" [ $? -eq 0 ]
$FAQTORY clusters --db "$db" --json --level issue >"$T/clusters.json" 2>"$T/err"

# The JSON shape and "now" from the data, never the clock.
check "trends JSON shape" python3 - "$T/before.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["now"] == "2020-05-31T01:40:47", d["now"]
assert d["flags"], "no flags"
scores = [f["score"] for f in d["flags"]]
assert scores == sorted(scores, reverse=True)
for f in d["flags"]:
    assert f["kind"] in ("rising", "gap", "suspect_answer", "unanswered")
    assert set(f["thread"]) == {"source", "id"} and isinstance(f["evidence"], dict)
    assert f["cluster"] is None or isinstance(f["cluster"], int)
EOF
check "real data: no rising flag in an unchanged month" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(any(f["kind"] == "rising" for f in d["flags"]))' "$T/before.json"

# gap: flags exactly where the definition holds (a recurring issue of 3+
# questions, none with an accepted answer): none in the real dump; after
# the edit (the burst's new questions and an issue's unaccepted answers)
# some.  Unaccepting answers reshapes issues, so the check is the
# definition itself, computed here in SQL.
gaps() { # "flagged|defined" thread ids of gap flags and of the definition
	sqlite3 "$db" "SELECT group_concat(c.canonical_thread) FROM (SELECT
	    canonical_thread FROM issues c WHERE size >= 3 AND NOT EXISTS
	    (SELECT 1 FROM issue_members m JOIN threads t ON t.id=m.thread_id
	    WHERE m.issue_id=c.id AND t.accepted_ext IS NOT NULL)
	    ORDER BY canonical_thread) c" >"$T/def"
	sqlite3 "$db" "SELECT group_concat(thread_id) FROM (SELECT thread_id
	    FROM flags WHERE kind='gap' ORDER BY thread_id)" >"$T/got"
	echo "$(cat "$T/got")|$(cat "$T/def")"
}
g=$(gaps)
check "gap: flagged exactly where defined in the real dump ($g)" \
    [ "${g%|*}" = "${g#*|}" ]
gaps_before=${g%|*}

# Recurring issues are tight: unaccepting an issue's answers changes its
# questions' vectors, and the issue may split.  The edit is retried with
# the next tightest issue (GAP_PICK) until one stays whole; every try
# must still flag exactly where the definition holds.
cp "$db" "$T/t0.db"
for pick in 0 1 2 3; do
	rm -rf "$T/edit"
	cp "$T/t0.db" "$db"
	GAP_PICK=$pick python3 tests/e2e/trends_edit.py "$T/orig/$SITE" \
	    "$T/edit/$SITE" "$T/clusters.json" "$T/before.json" \
	    "$T/picks.json" 2>"$T/err" || break
	$FAQTORY ingest --quiet --db "$db" "$T/edit/$SITE" 2>"$T/err" &&
		$FAQTORY index --quiet --db "$db" 2>>"$T/err"
	g=$(gaps)
	new_gap=$(python3 -c 'import sys; b=set(filter(None, sys.argv[1].split(","))); a=set(filter(None, sys.argv[2].split(","))); print(len(a - b))' "$gaps_before" "${g%|*}")
	[ "$new_gap" -ge 1 ] && break
done
check "edit the dump" [ -s "$T/picks.json" ]
$FAQTORY trends --db "$db" --json >"$T/after.json" 2>"$T/err"
check "gap: flagged exactly where defined after the edit ($g)" \
    [ "${g%|*}" = "${g#*|}" -a -n "${g%|*}" ]
# The edit unaccepts the answers of one recurring issue: a gap appears
# that the real dump did not have.
check "gap: the edit adds a gap ($new_gap new, issue pick $pick)" [ "$new_gap" -ge 1 ]

# has KIND FIELD: whether the edited thread PICKS[FIELD] (a list: any of
# them) carries a KIND flag in FILE.
has() {
	python3 - "$1" "$T/picks.json" "$2" "$3" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2]))
want = p[sys.argv[4]]; want = set(want if isinstance(want, list) else [want])
sys.exit(0 if any(f["kind"] == sys.argv[3] and f["thread"]["id"] in want
                  for f in d["flags"]) else 1)
EOF
}
for k in "rising burst" "suspect_answer negative" \
    "suspect_answer complaint" "unanswered views"; do
	set -- $k
	if has "$T/before.json" $1 $2; then notok "$1 ($2): absent before the edit"
	else ok "$1 ($2): absent before the edit"; fi
	check "$1 ($2): present after the edit" has "$T/after.json" $1 $2
done
if has "$T/after.json" unanswered views_accepted; then
	notok "unanswered: not for a viewed question with an accepted answer"
else ok "unanswered: not for a viewed question with an accepted answer"; fi

rank=$(python3 - "$T/after.json" "$T/picks.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); p = json.load(open(sys.argv[2]))
for i, f in enumerate(d["flags"]):
    if f["kind"] == "rising" and f["thread"]["id"] in p["burst"] + p["burst_new"]:
        print(i + 1); break
else:
    print(0)
EOF
)
check "burst: the issue's rising flag ranks in the top 3 (rank $rank)" \
    [ "$rank" -ge 1 -a "$rank" -le 3 ]
check "rising evidence: counts, p-value under the threshold" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
p=json.load(open(sys.argv[2]))
f=[f for f in d["flags"] if f["kind"]=="rising" and f["thread"]["id"] in p["burst"]][0]["evidence"]
assert f["recent"] >= 10 and f["p"] <= f["threshold"] and len(f["weeks"]) == 12, f' "$T/after.json" "$T/picks.json"

# CSV and text.
$FAQTORY trends --db "$db" --csv >"$T/out.csv" 2>"$T/err"
check "CSV parses, one row per flag" python3 -c '
import csv,json,sys; r=list(csv.DictReader(open(sys.argv[1], newline="")))
d=json.load(open(sys.argv[2])); assert len(r)==len(d["flags"]) and r[0]["kind"]==d["flags"][0]["kind"]' "$T/out.csv" "$T/after.json"
$FAQTORY trends --db "$db" >"$T/out.txt" 2>"$T/err"
check "text output ends with the count" grep -q 'flags as of 2020-05-31' "$T/out.txt"
$FAQTORY trends --db "$db" --json --csv >/dev/null 2>&1
check "--json with --csv is a usage error" [ $? -eq 2 ]

# Dismissal: stays dismissed while the score is at most 1.5 x the score
# it had; comes back when it worsens beyond that.
score=$(sqlite3 "$db" "SELECT score FROM flags WHERE kind='rising' ORDER BY score DESC LIMIT 1")
tid=$(sqlite3 "$db" "SELECT thread_id FROM flags WHERE kind='rising' ORDER BY score DESC LIMIT 1")
nr=$(sqlite3 "$db" "SELECT count(*) FROM flags WHERE kind='rising'")
sqlite3 "$db" "INSERT INTO curation(file,line,action,thread_id,kind,score)
    VALUES('c.ini',1,'dismiss',$tid,'rising',$score)"
$FAQTORY index --quiet --db "$db" 2>"$T/err"
n=$($FAQTORY trends --db "$db" --json | python3 -c '
import json,sys; d=json.load(sys.stdin); print(sum(f["kind"]=="rising" for f in d["flags"]), d["dismissed"])')
check "dismissed flag is left out ($n)" [ "$n" = "$((nr - 1)) 1" ]
sqlite3 "$db" "UPDATE curation SET score=$score/2"
$FAQTORY index --quiet --db "$db" 2>"$T/err"
n=$($FAQTORY trends --db "$db" --json | python3 -c '
import json,sys; d=json.load(sys.stdin); print(sum(f["kind"]=="rising" for f in d["flags"]), d["dismissed"])')
check "a dismissed flag that worsened past the margin is back ($n)" [ "$n" = "$nr 0" ]

# An unindexed store: one error line, exit 1.
$FAQTORY ingest --quiet --db "$T/u.db" "$T/orig/$SITE" 2>"$T/err"
expect_fail "trends before index" "$T/u.db" 'no trends yet' -- trends --db "$T/u.db"
