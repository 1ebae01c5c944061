#!/bin/sh
# One hostile post does not stop its source: a body the sanitizer cannot
# take (HTML nested deeper than the parser allows) leaves that post out,
# names it in one warning line and counts it as skipped
# "unsanitizable_body"; the rest of the source ingests.  A skipped
# question drops its thread (its answers count as
# answer_without_question).  A file that does not parse still refuses
# the whole source.  Stack Exchange, Discourse, GitHub and JSON Lines.
# Also bounded: a thread's tags (32 kept, the rest counted) and the skip
# reasons of one source (past 31, counted together as "other").
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SITE=eosio.meta.stackexchange.com
DEEP=260
mkdir -p "$T/a/$SITE" "$T/q/$SITE"
for f in Posts Comments PostLinks Users Tags; do
	cp "$DATA/$SITE/$f.xml" "$T/a/$SITE/"
	cp "$DATA/$SITE/$f.xml" "$T/q/$SITE/"
done
# deepen FILE TYPE: the body of the first post of PostTypeId TYPE becomes
# DEEP nested <blockquote>; prints its id.
deepen() {
	python3 - "$1" "$2" "$DEEP" <<'PY'
import re, sys
p, typ, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = open(p, encoding="utf-8-sig").read()
m = re.search(r'<row Id="(\d+)" PostTypeId="%s" [^>]*?Body="[^"]*"' % typ, s)
body = "&lt;blockquote&gt;" * n + "deep" + "&lt;/blockquote&gt;" * n
row = re.sub(r'Body="[^"]*"', 'Body="%s"' % body, m.group(0))
open(p, "w", encoding="utf-8").write(s[:m.start()] + row + s[m.end():])
print(m.group(1))
PY
}
skips() { # DB: the skipped JSON of its one source
	sqlite3 "$1" "SELECT skipped FROM sources"
}

# Stack Exchange: one answer.
aid=$(deepen "$T/a/$SITE/Posts.xml" 2)
$FAQTORY ingest --quiet --db "$T/a.db" "$T/a/$SITE" 2>"$T/err"
check "SE: a source with one unsanitizable answer ingests" [ $? -eq 0 ]
check "SE: one warning line naming the post" sh -c "[ \$(wc -l <'$T/err') -eq 1 ] &&
	grep -Eq '^faqtory: warning: .*Posts\\.xml:[0-9]+: post $aid: body HTML nested too deep to sanitize; skipped$' '$T/err'"
check "SE: skipped counts unsanitizable_body: 1" sh -c "skips() { sqlite3 \"\$1\" 'SELECT skipped FROM sources'; }; skips '$T/a.db' | grep -q '\"unsanitizable_body\":1'"
check "SE: that answer is left out" [ "$(sqlite3 "$T/a.db" "SELECT count(*) FROM posts WHERE ext_id=$aid")" = 0 ]
check "SE: every other post is in" [ "$(sqlite3 "$T/a.db" "SELECT count(*) FROM posts")" = 52 ]
$FAQTORY stats --db "$T/a.db" --json >"$T/stats.json"
check "SE: stats shows it" grep -q '"unsanitizable_body":1' "$T/stats.json"

# Stack Exchange: one question (its thread goes, its answers with it).
qid=$(deepen "$T/q/$SITE/Posts.xml" 1)
na=$(grep -c "PostTypeId=\"2\" ParentId=\"$qid\"" "$T/q/$SITE/Posts.xml")
$FAQTORY ingest --db "$T/q.db" "$T/q/$SITE" 2>"$T/err"
check "SE: a source with one unsanitizable question ingests" [ $? -eq 0 ]
check "SE: its thread is left out" [ "$(sqlite3 "$T/q.db" "SELECT count(*) FROM threads WHERE ext_id=$qid")" = 0 ]
check "SE: the other 22 threads are in" [ "$(sqlite3 "$T/q.db" "SELECT count(*) FROM threads")" = 22 ]
check "SE: its answers count as answer_without_question" sh -c "
	[ $na -eq 0 ] || sqlite3 '$T/q.db' 'SELECT skipped FROM sources' | grep -q '\"answer_without_question\":$na'"
check "SE: a thread never published is not counted removed" grep -q '22 threads' "$T/err"
check "SE: no 'removed' for it" sh -c "! grep -q '1 removed' '$T/err'"

# The same thread refreshed from a good snapshot comes back, and going
# bad again removes it (a published thread that goes is "removed").
$FAQTORY ingest --quiet --db "$T/q.db" "$DATA/$SITE" 2>"$T/err"
check "SE: the good snapshot brings it back" [ "$(sqlite3 "$T/q.db" "SELECT count(*) FROM threads")" = 23 ]

# Discourse: one post of a topic.
mkdir -p "$T/dis/forum.example.com"
tar -xJf "$DATA/discourse-urho3d/urho3d-topics.tar.xz" -C "$T/dis"
ls "$T"/dis/urho3d-topics/posts/json/*.json | head -5 | while read -r f; do
	cp "$f" "$T/dis/forum.example.com/"
done
f=$(ls "$T/dis/forum.example.com/"*.json | head -1)
python3 - "$f" "$DEEP" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
posts = t["post_stream"]["posts"]
posts[-1]["cooked"] = "<blockquote>" * n + "deep" + "</blockquote>" * n
json.dump(t, open(sys.argv[1], "w"))
PY
$FAQTORY ingest --quiet --db "$T/d.db" "$T/dis/forum.example.com" 2>"$T/err"
check "Discourse: ingests with one unsanitizable post" [ $? -eq 0 ]
check "Discourse: one warning line" sh -c "[ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'warning: .*nested too deep to sanitize; skipped' '$T/err'"
check "Discourse: counted" sh -c "sqlite3 '$T/d.db' 'SELECT skipped FROM sources' | grep -q '\"unsanitizable_body\":1'"
check "Discourse: the five topics are in" [ "$(sqlite3 "$T/d.db" "SELECT count(*) FROM threads")" = 5 ]

# GitHub: one answer (a discussion's comment).
python3 - "$DATA/github-discussions-payloadcms/discussions.json" "$T/gh.json" "$DEEP" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))[:20]
n = int(sys.argv[3])
for x in d:
    if x.get("comments"):
        x["comments"][0]["body"] = "<blockquote>" * n + "deep" + "</blockquote>" * n
        break
json.dump(d, open(sys.argv[2], "w"))
PY
$FAQTORY ingest --quiet --db "$T/g.db" "$T/gh.json" 2>"$T/err"
check "GitHub: ingests with one unsanitizable answer" [ $? -eq 0 ]
check "GitHub: one warning line" sh -c "[ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'warning: .*nested too deep to sanitize; skipped' '$T/err'"
check "GitHub: counted" sh -c "sqlite3 '$T/g.db' 'SELECT skipped FROM sources' | grep -q '\"unsanitizable_body\":1'"
check "GitHub: the 20 discussions are in" [ "$(sqlite3 "$T/g.db" "SELECT count(*) FROM threads")" = 20 ]

# JSON Lines: an answer, and a whole thread whose question is bad.
sed -n '/<!-- jsonl-example -->/,/^```$/p' "$ROOT/docs/sources.md" | sed '1,2d;$d' >"$T/j.jsonl"
python3 - "$DEEP" >>"$T/j.jsonl" <<'PY'
import json, sys
n = int(sys.argv[1])
deep = "<blockquote>" * n + "deep" + "</blockquote>" * n
print(json.dumps({"id": 30, "title": "bad answer", "question": {"body": "fine"},
    "answers": [{"id": 301, "format": "html", "body": deep}, {"id": 302, "body": "good"}]}))
print(json.dumps({"id": 31, "title": "bad question", "question": {"id": 310, "format": "html", "body": deep},
    "answers": [{"id": 311, "body": "orphan"}]}))
PY
$FAQTORY ingest --quiet --db "$T/j.db" "$T/j.jsonl" 2>"$T/err"
check "JSONL: ingests with two unsanitizable posts" [ $? -eq 0 ]
check "JSONL: one warning line each" sh -c "[ \$(grep -c 'warning: .*nested too deep to sanitize; skipped' '$T/err') -eq 2 ] && [ \$(wc -l <'$T/err') -eq 2 ]"
check "JSONL: counted" sh -c "sqlite3 '$T/j.db' 'SELECT skipped FROM sources' | grep -q '\"answer_without_question\":1.*\"unsanitizable_body\":2'"
check "JSONL: the bad answer goes, its thread stays" [ "$(sqlite3 "$T/j.db" "SELECT group_concat(ext_id) FROM posts WHERE thread_ext=30 AND kind=2")" = 302 ]
check "JSONL: the bad question takes its thread" [ "$(sqlite3 "$T/j.db" "SELECT count(*) FROM threads WHERE ext_id=31")" = 0 ]
check "JSONL: the other threads are in" [ "$(sqlite3 "$T/j.db" "SELECT count(*) FROM threads")" = 4 ]

# A thread keeps 32 tags; the rest are counted, not made into pages.
python3 - >"$T/tags.jsonl" <<'PY'
import json
print(json.dumps({"id": 1, "title": "many tags", "tags": ["t%02d" % i for i in range(40)],
    "question": {"body": "q"}, "answers": [{"body": "a", "accepted": True}]}))
PY
$FAQTORY ingest --quiet --db "$T/tags.db" "$T/tags.jsonl" 2>"$T/err"
check "tags: a thread of 40 tags ingests" [ $? -eq 0 -a ! -s "$T/err" ]
check "  keeps its first 32" [ "$(sqlite3 "$T/tags.db" "SELECT count(*), min(tag), max(tag) FROM thread_tags")" = "32|t00|t31" ]
check "  counts the other 8" sh -c "sqlite3 '$T/tags.db' 'SELECT skipped FROM sources' | grep -q '\"tag_over_limit\":8'"

# Forty made-up PostTypeIds: each a skip reason of its own until the
# table is full, then counted together as "other"; never a dead ingest.
mkdir -p "$T/pt/$SITE"
for f in Posts Comments PostLinks Users Tags; do cp "$DATA/$SITE/$f.xml" "$T/pt/$SITE/"; done
python3 - "$T/pt/$SITE/Posts.xml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
rows = "".join('  <row Id="%d" PostTypeId="%d" CreationDate="2020-01-01T00:00:00.000" Score="0" Body="x" />\r\n'
    % (900000 + t, t) for t in range(10, 50))
open(p, "w", encoding="utf-8").write(s.replace("</posts>", rows + "</posts>"))
PY
$FAQTORY ingest --quiet --db "$T/pt.db" "$T/pt/$SITE" 2>"$T/err"
check "post types: forty unknown ones ingest" [ $? -eq 0 ]
check "  counted, the last ones as other" sh -c "sqlite3 '$T/pt.db' 'SELECT skipped FROM sources' | grep -q '\"other\":[0-9]'"

# A file that does not parse still refuses the source.
head -c 3000 "$DATA/$SITE/Posts.xml" >"$T/a/$SITE/Posts.xml"
expect_fail "SE: malformed XML still refuses the source" "$T/a.db" 'Posts\.xml:[0-9]+(:[0-9]+)?: ' -- ingest --db "$T/a.db" "$T/a/$SITE"
echo '{"id": 1, "title": "t", "question": {"body": "x"}' >"$T/bad.jsonl"
expect_fail "JSONL: malformed JSON still refuses the source" "$T/j.db" 'bad\.jsonl:1:[0-9]+: ' -- ingest --db "$T/j.db" "$T/bad.jsonl"
