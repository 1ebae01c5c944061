#!/bin/sh
# faqtory index / search / related / clusters: real data, every script,
# hostile queries, empty store, re-runs, a killed run, incremental
# updates, JSON shapes, human duplicates in one cluster.
. tests/e2e/lib.sh

FIX=tests/fixtures/i18n.stackexchange.com
# first_id DB QUERY...: "source:id" of the first search result.
first_id() {
	db=$1; shift
	$FAQTORY search --db "$db" --json --limit 1 -- "$@" 2>"$T/err" |
		python3 -c 'import json,sys; r=json.load(sys.stdin)["results"]; print("%s:%s" % (r[0]["source"], r[0]["id"]) if r else "none")'
}
summary() { grep -o '[0-9]* new, [0-9]* changed, [0-9]* removed, [0-9]* unchanged' "$1"; }

# Real data: two whole sites.
db=$T/real.db
$FAQTORY ingest --quiet --db "$db" "$DATA/cardano.stackexchange.com" \
    "$DATA/quantumcomputing.stackexchange.com" 2>"$T/err"
if $FAQTORY index --db "$db" 2>"$T/idx"; then ok "index two real sites ($(summary "$T/idx"))"
else notok "index two real sites" "$(cat "$T/idx")"; fi
got=$(first_id "$db" how are NFTs minted without a smart contract)
check "known query finds its thread first ($got)" [ "$got" = cardano.stackexchange.com:5 ]
got=$(first_id "$db" "Grover's algorithm")
check "known query in the other site ($got)" [ "${got%%:*}" = quantumcomputing.stackexchange.com ]
got=$(first_id "$db" minte)
check "last word matches as a prefix ($got)" [ "$got" != none ]
$FAQTORY search --db "$db" nft >"$T/out" 2>"$T/err"
check "text output has highlighted snippets" grep -q '\[[Nn][Ff][Tt]' "$T/out"

# Related scores are cosines; no cluster above max(2, 2%) of its source;
# each member is a mutual neighbour's cluster mate (no singleton rows).
if sqlite3 "$db" "SELECT count(*) FROM related WHERE score < 0 OR score > 1" | grep -qx 0 &&
    sqlite3 "$db" "SELECT count(*) FROM clusters c JOIN threads t ON t.id = c.canonical_thread
	WHERE c.size > max(2, (SELECT count(*) FROM threads u WHERE u.source_id = t.source_id) / 50)
	OR c.size < 2" | grep -qx 0; then
	ok "related scores in [0, 1], clusters within the 2% cap"
else notok "related scores in [0, 1], clusters within the 2% cap"; fi

# Every script: a Telugu and a Japanese question found by one word.
fx=$T/fx.db
$FAQTORY ingest --quiet --db "$fx" "$FIX" 2>"$T/err"
$FAQTORY index --quiet --db "$fx" 2>"$T/err"
got=$(first_id "$fx" కమ్యూనిటీ)
check "Telugu question found by a Telugu word ($got)" [ "$got" = i18n.stackexchange.com:1 ]
got=$(first_id "$fx" 天気)
check "Japanese question found by a Japanese word ($got)" [ "$got" = i18n.stackexchange.com:2 ]
got=$(first_id "$fx" textreader)
check "identifier found by its parts ($got)" [ "$got" = i18n.stackexchange.com:6 ]

# Hostile queries: exit 0, valid JSON, nothing on stderr.
long=$(python3 -c 'print("NEAR( \"x* " * 1000)')
bad=$(printf 'caf\303 \377\376 router \355\240\200')
n=0
for q in '"' '""' 'NEAR(' 'NEAR(router password, 2)' '*' 'router*' '-' '-router' \
    '^' '^router' 'AND' 'OR' 'NOT' 'router AND' 'OR NOT AND' '(' ')' '((((' \
    'title:router' '{title}: router' 'router + password' '"router' "'" \
    ':' '.' '+' '' ' ' "$long" "$bad" 'NEAR/2' 'a"b"c' 'C++' '##'; do
	n=$((n + 1))
	if $FAQTORY search --db "$fx" --json -- "$q" >"$T/out" 2>"$T/err" &&
	    [ ! -s "$T/err" ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))["results"]' "$T/out"; then
		:
	else
		notok "hostile query $n: $(printf %s "$q" | head -c 40)" "$(head -c 300 "$T/err")"
		n=-1000
	fi
done
[ $n -gt 0 ] && ok "$n hostile queries: results or none, never an error"
got=$(first_id "$fx" '"router" NEAR( password*')
check "operators are words: still finds the router question ($got)" [ "${got#*:}" = 3 ] || [ "${got#*:}" = 4 ]
$FAQTORY search --db "$fx" --json -- "$bad" >"$T/out" 2>&1
check "invalid UTF-8 query echoed as valid JSON" python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$T/out"

# Empty store.
e=$T/empty.db
$FAQTORY index --quiet --db "$e" 2>"$T/err"
check "index an empty store" [ $? -eq 0 ]
$FAQTORY search --db "$e" --json router >"$T/out" 2>"$T/err"
check "search an empty store" python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["results"] == []' "$T/out"
$FAQTORY clusters --db "$e" --json >"$T/out" 2>"$T/err" &&
    check "clusters of an empty store" python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == {"clusters": []}' "$T/out"
$FAQTORY related --db "$e" --json >"$T/out" 2>"$T/err" &&
    check "related of an empty store" python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == {"questions": []}' "$T/out"
u=$T/unindexed.db
$FAQTORY ingest --quiet --db "$u" "$FIX" 2>"$T/err"
expect_fail "search before index fails cleanly" "$u" "not indexed" -- search --db "$u" router

# Indexing twice: nothing changes.
before=$(digest "$fx")
$FAQTORY index --db "$fx" 2>"$T/idx"
check "second run re-indexes nothing ($(summary "$T/idx"))" grep -q '(0 new, 0 changed, 0 removed, 6 unchanged' "$T/idx"
check "second run leaves the store as it was" [ "$before" = "$(digest "$fx")" ]

# JSON shapes.
$FAQTORY related --db "$fx" --json >"$T/rel.json"
$FAQTORY related --db "$fx" --json --k 1 i18n.stackexchange.com:4 >"$T/rel1.json"
$FAQTORY clusters --db "$fx" --json >"$T/cl.json"
$FAQTORY search --db "$fx" --json router >"$T/s.json"
python3 - "$T/rel.json" "$T/rel1.json" "$T/cl.json" "$T/s.json" <<'PY' && ok "related, clusters and search JSON shapes" || notok "related, clusters and search JSON shapes"
import json, sys
rel, rel1, cl, s = (json.load(open(p)) for p in sys.argv[1:5])
def ref(o):
    assert isinstance(o["source"], str) and isinstance(o["id"], int), o
assert len(rel["questions"]) == 6
for q in rel["questions"]:
    ref(q)
    for r in q["related"]:
        ref(r); assert isinstance(r["score"], float) and 0 < r["score"] <= 1
assert len(rel1["questions"]) == 1 and len(rel1["questions"][0]["related"]) == 1
assert rel1["questions"][0]["related"][0]["id"] == 3
for c in cl["clusters"]:
    assert isinstance(c["id"], int) and isinstance(c["label"], str) and c["label"]
    assert c["level"] in ("issue", "topic")
    ref(c["canonical"])
    assert c["first_seen"] <= c["last_seen"]
    assert len(c["members"]) >= 2
    for m in c["members"]:
        ref(m); assert 0 <= m["similarity"] <= 1
assert s["query"] == "router"
for r in s["results"]:
    ref(r); assert isinstance(r["title"], str) and isinstance(r["snippet"], str)
    assert isinstance(r["score"], float)
PY
# Human duplicates end in one cluster of each level (a topic and a
# recurring issue), with the answered one canonical.
python3 - "$T/cl.json" <<'PY' && ok "duplicate pair in one cluster of each level, canonical has the accepted answer" || notok "duplicate pair in one cluster of each level"
import json, sys
cl = json.load(open(sys.argv[1]))["clusters"]
for level in ("topic", "issue"):
    c = [c for c in cl if c["level"] == level and
         {m["id"] for m in c["members"]} >= {3, 4}]
    assert len(c) == 1 and c[0]["canonical"]["id"] == 3, (level, c)
PY

# SOURCE:ID when an id exists in two sources.
two=$T/two.db
mkdir -p "$T/other.stackexchange.com"
cp "$FIX"/*.xml "$T/other.stackexchange.com/"
$FAQTORY ingest --quiet --db "$two" "$FIX" "$T/other.stackexchange.com" 2>"$T/err"
$FAQTORY index --quiet --db "$two" 2>"$T/err"
expect_fail "ambiguous id asks for SOURCE:ID" "$two" "SOURCE:ID" -- related --db "$two" 3
$FAQTORY related --db "$two" --json other.stackexchange.com:3 >"$T/out" 2>"$T/err"
check "SOURCE:ID picks one question" python3 -c 'import json,sys; q=json.load(open(sys.argv[1]))["questions"]; assert len(q)==1 and q[0]["source"]=="other.stackexchange.com"' "$T/out"
expect_fail "unknown id" "$two" "no such question" -- related --db "$two" 999

# Incremental: a changed dump re-indexes only what changed.
mkdir -p "$T/inc/i18n.stackexchange.com"
cp "$FIX"/*.xml "$T/inc/i18n.stackexchange.com/"
inc=$T/inc.db
$FAQTORY ingest --quiet --db "$inc" "$T/inc/i18n.stackexchange.com" 2>"$T/err"
$FAQTORY index --quiet --db "$inc" 2>"$T/err"
python3 - "$T/inc/i18n.stackexchange.com/Posts.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
s = s.replace("Looking for a beer pairing", "Looking for a zymurgical beer pairing")
s = "\n".join(l for l in s.split("\n") if '<row Id="2" ' not in l and '<row Id="9" ' not in l)
open(p, "w", encoding="utf-8").write(s)
PY
$FAQTORY ingest --quiet --db "$inc" "$T/inc/i18n.stackexchange.com" 2>"$T/err"
$FAQTORY index --db "$inc" 2>"$T/idx"
echo "index after a changed dump: $(summary "$T/idx")"
check "changed dump: 1 changed, 1 removed, 4 unchanged" grep -q '(0 new, 1 changed, 1 removed, 4 unchanged' "$T/idx"
got=$(first_id "$inc" zymurgical)
check "changed thread found by its new word ($got)" [ "$got" = i18n.stackexchange.com:5 ]
got=$(first_id "$inc" 天気)
check "removed thread gone from search ($got)" [ "$got" = none ]
$FAQTORY index --check --db "$inc" 2>"$T/err"
check "integrity after the incremental run" [ $? -eq 0 ]
# The vocabulary of the search data only grows (the incremental run kept
# the ids of the words of the removed thread); rebuilt from scratch, its
# ids differ, and the static search must not.
$FAQTORY render --quiet --db "$inc" --out "$T/s_fresh" 2>"$T/err"
# A vocabulary not written by us is redone, not misread.
sqlite3 "$inc" "UPDATE search_vocab SET terms = x'05020178'"
$FAQTORY index --quiet --db "$inc" 2>"$T/err"
rm -rf "$T/s_inc"
$FAQTORY render --quiet --db "$inc" --out "$T/s_inc" 2>"$T/err"
check "a damaged vocabulary is rebuilt, the same search files" diff -r "$T/s_inc/search" "$T/s_fresh/search"
# Search data of an older faqtory, as the store's migration leaves it
# (dropped, its 'search' key gone): render says so once; the next index
# redoes it.
sqlite3 "$inc" "DELETE FROM search_vocab; DELETE FROM search_docs;
  DELETE FROM search_forms; DELETE FROM index_meta WHERE key = 'search'"
$FAQTORY render --db "$inc" --out "$T/s_old" >"$T/out" 2>"$T/err"
st=$?
check "older search data: render notes it and goes on (exit $st)" sh -c "[ $st = 0 ] && grep -q 'search data of an older faqtory' '$T/err'"
$FAQTORY index --quiet --db "$inc" 2>"$T/err"
rm -rf "$T/s_inc"
$FAQTORY render --quiet --db "$inc" --out "$T/s_inc" 2>"$T/err"
check "index after that restores it" diff -r "$T/s_inc/search" "$T/s_fresh/search"
# The field weights render reads (index_meta 'fields'): a changed table
# rebuilds everything built from it, and the search is the same again.
sqlite3 "$inc" "UPDATE index_meta SET value = '{}' WHERE key = 'fields'"
$FAQTORY render --db "$inc" --out "$T/s_nof" >/dev/null 2>"$T/err"
check "weights not ours: render notes it" grep -q 'search data of an older faqtory' "$T/err"
$FAQTORY index --db "$inc" 2>"$T/idx"
check "changed weights: everything re-indexed ($(summary "$T/idx"))" grep -q '(5 new, 0 changed, 0 removed, 0 unchanged' "$T/idx"
rm -rf "$T/s_inc"
$FAQTORY render --quiet --db "$inc" --out "$T/s_inc" 2>"$T/err"
check "and the search files are the same again" diff -r "$T/s_inc/search" "$T/s_fresh/search"

# A killed run leaves the old index or the complete new one.
k=$T/kill.db
$FAQTORY ingest --quiet --db "$k" "$DATA/cardano.stackexchange.com" 2>"$T/err"
$FAQTORY index --quiet --db "$k" 2>"$T/err"
old=$(sqlite3 "$k" "SELECT count(*) FROM index_threads")
$FAQTORY ingest --quiet --db "$k" "$DATA/quantumcomputing.stackexchange.com" 2>"$T/err"
new=$(sqlite3 "$k" "SELECT count(*) FROM threads")
killed=0
for delay in 0.3 0.8 1.5; do
	$FAQTORY index --quiet --db "$k" 2>/dev/null &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	n=$(sqlite3 "$k" "SELECT count(*) FROM index_threads")
	if [ "$n" != "$old" ] && [ "$n" != "$new" ]; then notok "killed run leaves old or new ($n)"; fi
	if ! $FAQTORY index --check --db "$k" 2>"$T/err"; then notok "integrity after kill -9" "$(cat "$T/err")"; fi
	got=$(first_id "$k" how are NFTs minted without a smart contract)
	[ "$got" = cardano.stackexchange.com:5 ] || notok "search after kill -9 ($got)"
	[ "$n" = "$new" ] && break
done
ok "killed index runs ($killed killed) left old ($old) or complete new ($new) index"
$FAQTORY index --db "$k" 2>"$T/idx"
n=$(sqlite3 "$k" "SELECT count(*) FROM index_threads")
check "re-run after kill completes ($n of $new; $(summary "$T/idx"))" [ "$n" = "$new" ]
$FAQTORY index --check --db "$k" 2>"$T/err"
check "FTS5 integrity-check and PRAGMA integrity_check pass" [ $? -eq 0 ]
got=$(first_id "$k" "Grover's algorithm")
check "new site searchable after the re-run ($got)" [ "${got%%:*}" = quantumcomputing.stackexchange.com ]

# A source's language (ingest --lang) chooses its stemmer: a Russian
# inflection finds its question only when the source says it is Russian.
F=tests/fixtures/search.stackexchange.com
$FAQTORY ingest --quiet --db "$T/en.db" "$F" && $FAQTORY index --quiet --db "$T/en.db"
$FAQTORY ingest --quiet --lang russian --db "$T/ru.db" "$F" && $FAQTORY index --quiet --db "$T/ru.db"
hits() { $FAQTORY search --db "$1" --json -- "$2" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))'; }
check "russian inflection unstemmed without --lang" [ "$(hits "$T/en.db" обновлением)" = 0 ]
check "russian inflection found with --lang russian" [ "$(hits "$T/ru.db" обновлением)" = 1 ]
check "--lang russian still stems English" [ "$(hits "$T/ru.db" collapsing)" -ge 1 ]
$FAQTORY ingest --quiet --lang 'Bad;lang' --db "$T/ru.db" "$F" 2>"$T/err"
check "a malformed language list is refused at ingest" [ $? = 1 ]
$FAQTORY ingest --quiet --lang klingon --db "$T/ru.db" "$F" 2>/dev/null
$FAQTORY index --quiet --db "$T/ru.db" 2>"$T/err"
st=$?
check "an unknown language stops the index (exit $st) with one line" sh -c "[ $st = 1 ] && grep -q \"unknown language list 'klingon'\" '$T/err' && [ \$(wc -l <'$T/err') = 1 ]"

# Past 2^18 questions a related-questions query sums in a table hashed
# by doc (index/neighbours.c); FAQTORY_DENSE_MAX=0 takes that path here:
# the same candidates, related rows and clusters, bit for bit.
$FAQTORY ingest --quiet --db "$T/d.db" "$DATA/beer.stackexchange.com" "$DATA/cardano.stackexchange.com"
cp "$T/d.db" "$T/h.db"
$FAQTORY index --quiet --db "$T/d.db"
FAQTORY_DENSE_MAX=0 $FAQTORY index --quiet --db "$T/h.db"
rel() { sqlite3 "$1" "SELECT * FROM related ORDER BY 1, 2; SELECT * FROM index_neighbours ORDER BY 1; SELECT * FROM clusters ORDER BY 1; SELECT * FROM issue_members ORDER BY 1, 2" | sha256sum; }
check "related questions: the hashed sums give the dense sums' rows" \
	[ "$(rel "$T/d.db")" = "$(rel "$T/h.db")" ]
