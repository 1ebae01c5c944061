#!/bin/sh
# Answer selection (docs/answer-selection.md) on the real beer dump:
# every thread gets a row in answer_choice; the site's most-viewed
# unaccepted question gets a community answer that passes the gate and
# the calibrated threshold; an accepted thread keeps its
# AcceptedAnswerId; a second index run writes the same bytes; the
# evaluation runs and reports; curated phrase lists are read.
. tests/e2e/lib.sh

db=$T/beer.db
$FAQTORY ingest --quiet --db "$db" "$DATA/beer.stackexchange.com" 2>"$T/err"
check "ingest beer" [ $? -eq 0 ]
$FAQTORY index --quiet --json --db "$db" >"$T/index.json" 2>"$T/err"
check "index beer" [ $? -eq 0 ]
check "index --json counts the answers" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = d["answers"]
assert a["accepted"] == 619 and a["community"] > 0, a
assert 0 < a["confident"] <= a["community"], a
assert d["threads"] == 1029, d
' "$T/index.json"

q() { sqlite3 "$db" "$1"; }
check "one answer_choice row per thread" [ "$(q "SELECT count(*) FROM threads")" = "$(q "SELECT count(*) FROM answer_choice")" ]
check "kind none exactly where a thread has no answer" [ "$(q "SELECT count(*) FROM answer_choice a JOIN threads t ON t.id=a.thread_id
  WHERE (a.kind='none') <> NOT EXISTS(SELECT 1 FROM posts p WHERE p.source_id=t.source_id AND p.thread_ext=t.ext_id AND p.kind=2)")" = 0 ]
thr=$(q "SELECT value FROM index_meta WHERE key='answer_threshold'")
check "answer_threshold is a confidence ($thr)" python3 -c 'import sys; assert 0.5 < float(sys.argv[1]) <= 1' "$thr"
check "answer_model is JSON with the source's weights and threshold" python3 -c '
import json, sys
m = json.loads(sys.argv[1])
s = m["sources"][0]
assert s["name"] == "beer.stackexchange.com" and len(s["weights"]) == len(m["features"]) == 15
assert "order" not in m["features"] and "first" in m["features"]
assert abs(s["threshold"] - float(sys.argv[2])) < 1e-4
' "$(q "SELECT value FROM index_meta WHERE key='answer_model'")" "$thr"

# The most-viewed unaccepted question: 13 answers, 25 votes against 7.
row=$(q "SELECT t.ext_id, a.kind, a.gate, a.confidence >= $thr, a.score, a.next_score, a.nanswers
  FROM threads t JOIN answer_choice a ON a.thread_id=t.id
  WHERE t.accepted_ext IS NULL ORDER BY t.views DESC LIMIT 1")
check "sell-by question: community, gate, above the threshold ($row)" [ "$row" = "976|community|1|1|25|7|13" ]
check "its title" [ "$(q "SELECT title FROM threads WHERE ext_id=976")" = 'Is beer dangerous to drink past its "sell by" date?' ]
check "its chosen answer is the top-voted one" [ "$(q "SELECT a.post_ext = (SELECT ext_id FROM posts WHERE source_id=1 AND thread_ext=976 AND kind=2 ORDER BY score DESC LIMIT 1) FROM answer_choice a JOIN threads t ON t.id=a.thread_id WHERE t.ext_id=976")" = 1 ]
check "accepted threads keep their AcceptedAnswerId" [ "$(q "SELECT count(*) FROM answer_choice a JOIN threads t ON t.id=a.thread_id
  WHERE t.accepted_ext IS NOT NULL AND (a.kind <> 'accepted' OR a.post_ext <> t.accepted_ext OR a.confidence <> 1)")" = 0 ]
# The most-viewed question of the site is accepted: its AcceptedAnswerId
# read from Posts.xml independently.
acc=$(python3 -c '
import sys, xml.etree.ElementTree as ET
for _, el in ET.iterparse(sys.argv[1]):
    if el.tag == "row" and el.get("Id") == "195":
        print(el.get("AcceptedAnswerId")); break
' "$DATA/beer.stackexchange.com/Posts.xml")
check "question 195: accepted answer $acc as in Posts.xml" [ "$(q "SELECT a.kind || ' ' || a.post_ext FROM answer_choice a JOIN threads t ON t.id=a.thread_id WHERE t.ext_id=195")" = "accepted $acc" ]
check "community confidences are shares in (0, 1]" [ "$(q "SELECT count(*) FROM answer_choice WHERE kind='community' AND NOT (confidence > 0 AND confidence <= 1)")" = 0 ]
check "a lone candidate has confidence 1" [ "$(q "SELECT count(*) FROM answer_choice WHERE kind='community' AND nanswers=1 AND confidence <> 1")" = 0 ]

# Deterministic: the same store gives the same bytes.
q "SELECT * FROM answer_choice ORDER BY thread_id; SELECT * FROM index_meta WHERE key LIKE 'answer%'" >"$T/a1"
$FAQTORY index --quiet --db "$db"
q "SELECT * FROM answer_choice ORDER BY thread_id; SELECT * FROM index_meta WHERE key LIKE 'answer%'" >"$T/a2"
check "a second index run writes identical answer_choice and model" cmp -s "$T/a1" "$T/a2"

# The evaluation: held-out half, baselines, views.
$FAQTORY answers --eval --json --db "$db" >"$T/eval.json" 2>"$T/err"
check "answers --eval --json runs" [ $? -eq 0 ]
check "evaluation: hidden half, model and baselines, views" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sources"][0]
assert s["votes"] == "dated votes" and s["hidden"] == 306 and s["hidden_multi"] == 131, s
for k in ("model", "top_m1", "top_m3", "first"):
    assert s[k]["all"]["n"] == 306 and s[k]["multi"]["n"] == 131
assert s["model"]["all"]["precision"] >= 0.9 and s["model"]["all"]["coverage"] >= 0.5, s["model"]
assert s["first"]["all"]["coverage"] == 1
assert s["entries_before"] == 619 and s["entries_after"] > 619
assert 0.69 < s["views_today"] < 0.71 and s["views_after"] > s["views_today"]
assert s["views_ceiling"] >= s["views_after"]
assert s["redirects"] > 0 and s["views_redirected"] > s["views_after"], s
assert d["pooled"]["hidden"] == 306
' "$T/eval.json"
$FAQTORY answers --eval --strict-votes --db "$db" >"$T/eval.txt" 2>"$T/err"
check "answers --eval --strict-votes prints the table" grep -q '^| beer.stackexchange.com | 306 | ' "$T/eval.txt"
$FAQTORY answers --db "$db" >/dev/null 2>"$T/err"
check "answers without --eval is a usage error" [ $? -eq 2 ]

# Curated phrase lists: LIST.LANGUAGE in [phrases].
mkdir -p "$T/cur"
cat >"$T/cur/faqtory.ini" <<INI
[site]
title = Beer
base_url = https://faq.example.com/
[build]
db = $db
out = $T/site
curation = curation.ini
INI
printf '[phrases]\nthanks.english = cheers mate, ta\nenglish = is outdated\n' >"$T/cur/curation.ini"
$FAQTORY build --quiet --config "$T/cur/faqtory.ini" 2>"$T/err"
check "build with curated answer phrases" [ $? -eq 0 ]
check "curated thanks list stored" [ "$(q "SELECT group_concat(phrase, '|') FROM (SELECT phrase FROM curation_phrases WHERE lang='thanks.english' ORDER BY phrase)")" = "cheers mate|ta" ]
printf '[phrases]\nthanks.English = cheers\n' >"$T/cur/curation.ini"
expect_fail "a bad phrase list key is refused with file:line" "$db" 'curation.ini:2: .*thanks.English' -- build --quiet --config "$T/cur/faqtory.ini"
