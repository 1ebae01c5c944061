#!/bin/sh
# Every Stack Exchange site in the shared data ingests, and `stats --json`
# equals an independent count (tests/e2e/se_count.py, Python's own XML
# parser) over the same XML.  Then refresh semantics.
. tests/e2e/lib.sh

SITES="eosio.meta.stackexchange.com cardano.stackexchange.com
quantumcomputing.stackexchange.com dba.meta.stackexchange.com
beer.stackexchange.com/beer.stackexchange.com.7z"
db=$T/all.db
srcs=""
for s in $SITES; do srcs="$srcs $DATA/$s"; done

# shellcheck disable=SC2086
if $FAQTORY ingest --quiet --db "$db" $srcs 2>"$T/err"; then
	ok "ingest all Stack Exchange sites"
else
	notok "ingest all Stack Exchange sites" "$(cat "$T/err")"
fi
$FAQTORY stats --db "$db" --json >"$T/stats.json"
# shellcheck disable=SC2086
python3 tests/e2e/se_count.py $srcs >"$T/count.json"
python3 - "$T/stats.json" "$T/count.json" <<'PY' && ok "stats equal the independent count" || notok "stats equal the independent count"
import json, sys
got = json.load(open(sys.argv[1]))["sources"]
want = json.load(open(sys.argv[2]))["sources"]
keys = ["name", "kind", "questions", "answers", "accepted", "comments", "duplicate_links"]
bad = 0
for g, w in zip(got, want):
    for k in keys:
        if g[k] != w[k]:
            print("mismatch", g["name"], k, g[k], w[k]); bad = 1
if len(got) != len(want): bad = 1
sys.exit(bad)
PY

# Every accepted answer is present and marked, exactly once per thread.
n=$(sqlite3 "$db" "SELECT count(*) FROM threads t WHERE accepted_ext IS NOT NULL
  AND (SELECT count(*) FROM posts p WHERE p.source_id=t.source_id
       AND p.thread_ext=t.ext_id AND p.accepted=1 AND p.ext_id=t.accepted_ext) = 1")
m=$(sqlite3 "$db" "SELECT count(*) FROM posts WHERE accepted=1")
want=$(python3 -c 'import json,sys; print(sum(s["accepted"] for s in json.load(open(sys.argv[1]))["sources"]))' "$T/count.json")
check "accepted answers present and marked ($n of $want)" [ "$n" = "$want" ] && [ "$m" = "$want" ]

# The 2024 tag format and the old one both give tags.
n=$(sqlite3 "$db" "SELECT count(*) FROM thread_tags tt JOIN sources s ON s.id=tt.source_id
  WHERE s.name='dba.meta.stackexchange.com' AND tag='discussion'")
check "2024 |a|b| tags parsed" [ "$n" -gt 100 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM thread_tags WHERE tag LIKE '%<%' OR tag LIKE '%|%' OR tag LIKE '%>%'")
check "no tag keeps its delimiters" [ "$n" = 0 ]
# Deleted users keep their display name.
n=$(sqlite3 "$db" "SELECT count(*) FROM posts WHERE author_ext IS NULL AND author_name IS NOT NULL")
check "deleted users keep their display name ($n)" [ "$n" -gt 0 ]
# Sanitized bodies carry no raw script.
n=$(sqlite3 "$db" "SELECT count(*) FROM posts WHERE body_html LIKE '%<script%'")
check "no script in stored bodies" [ "$n" = 0 ]
# Dates are normalized.
n=$(sqlite3 "$db" "SELECT count(*) FROM posts WHERE created NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'")
check "dates normalized" [ "$n" = 0 ]

# Re-ingesting the same dump changes nothing.
before=$(digest "$db")
$FAQTORY ingest --quiet --db "$db" "$DATA/eosio.meta.stackexchange.com" \
    "$DATA/beer.stackexchange.com/beer.stackexchange.com.7z" 2>"$T/err"
check "same dump twice changes nothing" [ "$before" = "$(digest "$db")" ]

# A newer snapshot: one question gone, one answer edited.
mkdir -p "$T/eosio.meta.stackexchange.com"
cp "$DATA"/eosio.meta.stackexchange.com/*.xml "$T/eosio.meta.stackexchange.com/"
db2=$T/refresh.db
$FAQTORY ingest --quiet --db "$db2" "$T/eosio.meta.stackexchange.com"
hash5=$(sqlite3 "$db2" "SELECT hash FROM threads WHERE ext_id=5")
hash1=$(sqlite3 "$db2" "SELECT hash FROM threads WHERE ext_id=1")
hash38=$(sqlite3 "$db2" "SELECT hash FROM threads WHERE ext_id=38")
hash10=$(sqlite3 "$db2" "SELECT hash FROM threads WHERE ext_id=10")
python3 - "$T/eosio.meta.stackexchange.com/Posts.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
lines = s.split("\n")
out = []
for l in lines:
    if ' Id="1" PostTypeId="1"' in l:      # question 1 disappears
        continue
    if ' Id="6" PostTypeId="2"' in l:      # accepted answer of 5 edited
        l = l.replace("Body=\"&lt;p&gt;", "Body=\"&lt;p&gt;Edited. ", 1)
    out.append(l)
open(p, "w", encoding="utf-8").write("\n".join(out))
PY
$FAQTORY ingest --db "$db2" --json "$T/eosio.meta.stackexchange.com" >"$T/r.json" 2>"$T/err"
# Changed: 5 (its accepted answer was edited) and 38, whose related link
# to the removed question 1 is gone from its page.
check "refresh reports 1 removed, 2 changed" grep -q '"changed":2,"removed":1,"unchanged":20' "$T/r.json"
check "removed thread is gone" [ "$(sqlite3 "$db2" "SELECT count(*) FROM threads WHERE ext_id=1")" = 0 ]
check "removed thread's answers are gone" [ "$(sqlite3 "$db2" "SELECT count(*) FROM posts WHERE thread_ext=1")" = 0 ]
check "changed thread has a new hash" [ "$(sqlite3 "$db2" "SELECT hash FROM threads WHERE ext_id=5")" != "$hash5" ]
check "edited body stored" [ "$(sqlite3 "$db2" "SELECT count(*) FROM posts WHERE ext_id=6 AND body_html LIKE '<p>Edited.%'")" = 1 ]
check "linked thread has a new hash" [ "$(sqlite3 "$db2" "SELECT hash FROM threads WHERE ext_id=38")" != "$hash38" ]
check "untouched thread keeps its hash" [ -n "$hash1" ] && [ "$(sqlite3 "$db2" "SELECT hash FROM threads WHERE ext_id=10")" = "$hash10" ] && [ -n "$hash10" ]

# A folder with only Posts.xml ingests and says what it did without.
mkdir -p "$T/only.stackexchange.com"
cp "$DATA/eosio.meta.stackexchange.com/Posts.xml" "$T/only.stackexchange.com/"
$FAQTORY ingest --db "$T/only.db" "$T/only.stackexchange.com" 2>"$T/err"
check "folder with only Posts.xml ingests" [ $? = 0 ]
check "says it went without comments" grep -q 'no Comments.xml: ingested without comments' "$T/err"
# A lone Posts.xml is a source too, named after its folder.
$FAQTORY ingest --quiet --db "$T/lone.db" "$T/only.stackexchange.com/Posts.xml"
check "lone Posts.xml ingests" [ "$(sqlite3 "$T/lone.db" "SELECT name||':'||(SELECT count(*) FROM threads) FROM sources")" = "only.stackexchange.com:23" ]

# --no-duplicate-links drops human duplicate links.
$FAQTORY ingest --quiet --no-duplicate-links --db "$T/nodup.db" "$DATA/dba.meta.stackexchange.com"
check "--no-duplicate-links" [ "$(sqlite3 "$T/nodup.db" "SELECT count(*) FROM links WHERE kind='duplicate'")" = 0 ]

# An interrupted ingest (killed mid-way) leaves the store as it was.
before=$(digest "$db2")
killed=0
for delay in 0.1 0.3 0.6 1.0; do
	cp "$db2" "$T/kill.db"
	rm -f "$T/kill.db-wal" "$T/kill.db-shm"
	$FAQTORY ingest --quiet --db "$T/kill.db" \
	    "$DATA/beer.stackexchange.com/beer.stackexchange.com.7z" &
	pid=$!
	sleep $delay
	if kill -9 $pid 2>/dev/null; then
		killed=$((killed + 1))
		wait $pid 2>/dev/null
		[ "$before" = "$(digest "$T/kill.db")" ] ||
			notok "killed at ${delay}s leaves store unchanged"
		[ "$(sqlite3 "$T/kill.db" "PRAGMA integrity_check")" = ok ] ||
			notok "killed at ${delay}s: store intact"
	else
		wait $pid 2>/dev/null
	fi
done
check "killed ingest leaves the store unchanged ($killed kills)" [ $killed -ge 2 ]
