#!/bin/sh
# Votes.xml: every shared Stack Exchange site's vote aggregates and
# acceptance days equal an independent count (tests/e2e/se_count.py) of
# the same XML; a changed vote refreshes its aggregate and no content
# hash; a dump without Votes.xml ingests and says so; GitHub's chosenAt
# is the acceptance time.
. tests/e2e/lib.sh

SITES="eosio.meta.stackexchange.com cardano.stackexchange.com
quantumcomputing.stackexchange.com dba.meta.stackexchange.com
beer.stackexchange.com/beer.stackexchange.com.7z"
db=$T/all.db
srcs=""
for s in $SITES; do srcs="$srcs $DATA/$s"; done

# shellcheck disable=SC2086
if $FAQTORY ingest --quiet --db "$db" $srcs 2>"$T/err"; then
	ok "ingest all Stack Exchange sites with their votes"
else
	notok "ingest all Stack Exchange sites with their votes" "$(cat "$T/err")"
fi
# The store's side, in the shape of se_count.py's "votes".
sqlite3 -json "$db" "SELECT s.name,
  (SELECT coalesce(sum(up), 0) FROM votes v WHERE v.source_id=s.id) AS up,
  (SELECT coalesce(sum(down), 0) FROM votes v WHERE v.source_id=s.id) AS down,
  (SELECT count(*) FROM votes v WHERE v.source_id=s.id) AS rows,
  (SELECT count(accepted_day) FROM threads t WHERE t.source_id=s.id) AS accepted_days,
  (SELECT coalesce(sum(replace(accepted_day, '-', '')), 0) FROM threads t
   WHERE t.source_id=s.id) AS first_days,
  coalesce(json_extract(s.skipped, '$.dangling_vote'), 0) AS dangling
  FROM sources s ORDER BY s.name" >"$T/store.json"
# shellcheck disable=SC2086
python3 tests/e2e/se_count.py $srcs >"$T/count.json"
python3 - "$T/store.json" "$T/count.json" <<'PY' && ok "vote totals equal the independent count on every site" || notok "vote totals equal the independent count on every site"
import json, sys
got = {r["name"]: r for r in json.load(open(sys.argv[1]))}
want = json.load(open(sys.argv[2]))["sources"]
bad = len(got) != len(want)
for w in want:
    g = got.get(w["name"], {})
    for k, v in w["votes"].items():
        if g.get(k) != v:
            print("mismatch", w["name"], k, g.get(k), v); bad = 1
    if w["votes"]["up"] == 0 or w["votes"]["accepted_days"] == 0:
        print("no votes counted", w["name"]); bad = 1
sys.exit(bad)
PY
n=$(sqlite3 "$db" "SELECT count(*) FROM votes WHERE day NOT GLOB
  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' OR up < 0 OR down < 0
  OR up + down = 0 OR NOT EXISTS(SELECT 1 FROM posts p
  WHERE p.source_id=votes.source_id AND p.ext_id=votes.post_ext)")
check "every vote row is a day of a present post" [ "$n" = 0 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM threads WHERE accepted_day IS NOT NULL
  AND accepted_ext IS NULL")
check "only accepted threads have an acceptance day" [ "$n" = 0 ]

# A newer snapshot in which one up vote became a down vote on another
# day: the aggregate follows, the content hashes do not move.
e=$T/eosio.meta.stackexchange.com
mkdir -p "$e"
cp "$DATA"/eosio.meta.stackexchange.com/*.xml "$e/"
db2=$T/refresh.db
$FAQTORY ingest --quiet --db "$db2" "$e"
q="SELECT group_concat(ext_id || ':' || hash, ' ') FROM threads ORDER BY ext_id"
hashes=$(sqlite3 "$db2" "$q")
post=$(sqlite3 "$db2" "SELECT min(post_ext) FROM votes WHERE day='2018-05-09' AND up > 0")
votes() { sqlite3 "$db2" "SELECT coalesce(sum(up), 0) || ' ' || coalesce(sum(down), 0) FROM votes WHERE post_ext=$post AND day='$1'"; }
before9=$(votes 2018-05-09) before10=$(votes 2030-01-02)
python3 - "$e/Votes.xml" "$post" <<'PY'
import sys
p, post = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8-sig").read()
old = ' PostId="%s" VoteTypeId="2" CreationDate="2018-05-09T00:00:00.000"' % post
new = ' PostId="%s" VoteTypeId="3" CreationDate="2030-01-02T00:00:00.000"' % post
assert old in s
open(p, "w", encoding="utf-8").write(s.replace(old, new, 1))
PY
$FAQTORY ingest --db "$db2" --json "$e" >"$T/r.json" 2>"$T/err"
set -- $before9
check "refresh: the changed vote leaves its day ($before9 -> $(votes 2018-05-09))" [ "$(votes 2018-05-09)" = "$(($1 - 1)) $2" ]
check "refresh: and counts on its new day ($before10 -> $(votes 2030-01-02))" [ "$(votes 2030-01-02)" = "0 1" ]
check "refresh: no thread changed" grep -q '"changed":0,"removed":0' "$T/r.json"
check "refresh: every content hash unchanged" [ "$(sqlite3 "$db2" "$q")" = "$hashes" ]
check "refresh: newest date not moved by a vote" [ "$(sqlite3 "$db2" "SELECT newest < '2030' FROM sources")" = 1 ]

# The acceptance moves to a later day: accepted_day follows, hashes stay.
acc=$(sqlite3 "$db2" "SELECT ext_id || ' ' || accepted_ext || ' ' || accepted_day FROM threads WHERE accepted_day IS NOT NULL ORDER BY ext_id LIMIT 1")
set -- $acc
python3 - "$e/Votes.xml" "$2" "$3" <<'PY'
import sys
p, post, day = sys.argv[1:]
s = open(p, encoding="utf-8-sig").read()
old = ' PostId="%s" VoteTypeId="1" CreationDate="%sT00:00:00.000"' % (post, day)
assert old in s
s = s.replace(old, ' PostId="%s" VoteTypeId="1" CreationDate="2029-12-31T00:00:00.000"' % post, 1)
open(p, "w", encoding="utf-8").write(s)
PY
$FAQTORY ingest --quiet --db "$db2" "$e"
check "refresh: a moved acceptance moves accepted_day" [ "$(sqlite3 "$db2" "SELECT accepted_day FROM threads WHERE ext_id=$1")" = 2029-12-31 ]
check "refresh: hashes still unchanged" [ "$(sqlite3 "$db2" "$q")" = "$hashes" ]

# Without Votes.xml: ingests, says so, and the old votes go.
rm "$e/Votes.xml"
$FAQTORY ingest --db "$db2" "$e" 2>"$T/err"
check "without Votes.xml ingests" [ $? = 0 ]
check "says it went without votes" grep -q 'no Votes.xml: ingested without vote counts and acceptance dates' "$T/err"
check "without Votes.xml: no votes, no acceptance days" [ "$(sqlite3 "$db2" "SELECT (SELECT count(*) FROM votes) + (SELECT count(accepted_day) FROM threads)")" = 0 ]
check "without Votes.xml: listed as missing" [ "$(sqlite3 "$db2" "SELECT missing LIKE '%Votes.xml%' FROM sources")" = 1 ]
check "without Votes.xml: hashes still unchanged" [ "$(sqlite3 "$db2" "$q")" = "$hashes" ]

# Bad vote rows are counted, never fatal; other vote types are ignored.
b=$T/bad.stackexchange.com
mkdir -p "$b"
cp "$DATA/eosio.meta.stackexchange.com/Posts.xml" "$b/"
printf '%s\n' '<?xml version="1.0" encoding="utf-8"?>' '<votes>' \
  '<row Id="1" PostId="1" VoteTypeId="2" CreationDate="2018-05-09T00:00:00.000" />' \
  '<row Id="2" PostId="1" VoteTypeId="2" CreationDate="yesterday" />' \
  '<row Id="3" PostId="x" VoteTypeId="3" CreationDate="2018-05-09T00:00:00.000" />' \
  '<row Id="4" PostId="1" CreationDate="2018-05-09T00:00:00.000" />' \
  '<row Id="5" PostId="1" VoteTypeId="16" />' \
  '<row Id="6" PostId="999999" VoteTypeId="3" CreationDate="2018-05-09T00:00:00.000" />' \
  '</votes>' >"$b/Votes.xml"
$FAQTORY ingest --quiet --db "$T/bad.db" "$b" 2>"$T/err"
check "bad vote rows: ingest succeeds" [ $? = 0 ]
check "bad vote rows: counted" [ "$(sqlite3 "$T/bad.db" "SELECT json_extract(skipped, '$.bad_vote') || ' ' || json_extract(skipped, '$.dangling_vote') FROM sources")" = "3 1" ]
check "bad vote rows: the good one kept" [ "$(sqlite3 "$T/bad.db" "SELECT post_ext || day || up || down FROM votes")" = "12018-05-0910" ]

# GitHub: the export's chosenAt, exact; Discourse-like sources: none.
$FAQTORY ingest --quiet --db "$T/gh.db" "$DATA/github-discussions-payloadcms/discussions.json"
want=$(python3 -c 'import json,sys; print(sum(1 for d in json.load(open(sys.argv[1])) if d["answer"].get("chosenAt")))' "$DATA/github-discussions-payloadcms/discussions.json")
n=$(sqlite3 "$T/gh.db" "SELECT count(*) FROM threads WHERE accepted_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'")
check "GitHub: chosenAt is the acceptance time ($n of $want)" [ "$n" = "$want" ] && [ "$want" -gt 0 ]

# A store from before votes (schema 7) is migrated on the next ingest,
# and only then has votes.
cp "$T/bad.db" "$T/old.db"
sqlite3 "$T/old.db" "DROP TABLE post_hrefs; DROP TABLE post_src; DROP TABLE index_neighbours; DROP TABLE issue_members; DROP TABLE issues; DROP TABLE post_links; DROP TABLE answer_choice; DROP TABLE votes; ALTER TABLE threads DROP COLUMN accepted_day; PRAGMA user_version=7"
$FAQTORY stats --db "$T/old.db" >/dev/null 2>"$T/err"
check "schema 7 store: read-only commands ask for a migration" grep -q 'store needs migrating' "$T/err"
$FAQTORY ingest --quiet --db "$T/old.db" "$b"
check "schema 7 store: migrated by ingest, votes filled" [ "$(sqlite3 "$T/old.db" "PRAGMA user_version; SELECT count(*) FROM votes" | tr '\n' ' ')" = "14 1 " ]
