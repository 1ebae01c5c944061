#!/bin/sh
# Discourse, GitHub Discussions and JSON Lines sources: the shared data
# ingests, `stats --json` equals an independent count
# (tests/e2e/json_count.py), a mixed store has no id collisions, ids are
# stable across re-ingests, detection and --format, and bad input fails
# with one line naming the file, the store unchanged.
. tests/e2e/lib.sh

DIS=$DATA/discourse-urho3d/urho3d-topics.tar.xz
GH=$DATA/github-discussions-payloadcms
SE=$DATA/eosio.meta.stackexchange.com
JL=$T/example.jsonl
# The JSON Lines example of docs/sources.md, exactly as documented.
sed -n '/<!-- jsonl-example -->/,/^```$/p' docs/sources.md | sed '1,2d;$d' >"$JL"

# compare STATS COUNT: the listed sources of stats equal the count.
compare() {
	python3 - "$1" "$2" <<'PY'
import json, sys
got = {s["name"]: s for s in json.load(open(sys.argv[1]))["sources"]}
want = json.load(open(sys.argv[2]))["sources"]
bad = 0
for w in want:
    g = got.get(w["name"])
    if g is None:
        print("missing", w["name"]); bad = 1; continue
    for k in ["kind", "questions", "answers", "accepted", "comments", "duplicate_links"]:
        if g[k] != w[k]:
            print("mismatch", w["name"], k, g[k], w[k]); bad = 1
sys.exit(bad)
PY
}

db=$T/mixed.db
if $FAQTORY ingest --quiet --db "$db" "$SE" "$DIS" "$GH" "$JL" 2>"$T/err"; then
	ok "ingest SE + Discourse .tar.xz + GitHub + JSON Lines into one store"
else
	notok "ingest mixed" "$(cat "$T/err")"
fi
$FAQTORY stats --db "$db" --json >"$T/stats.json"
python3 tests/e2e/json_count.py "discourse:$DIS" "github:$GH" "jsonl:$JL" >"$T/count.json"
check "stats equal the independent count (discourse, github, jsonl)" compare "$T/stats.json" "$T/count.json"
python3 tests/e2e/se_count.py "$SE" >"$T/se.json"
check "Stack Exchange counts unchanged in the mixed store" compare "$T/stats.json" "$T/se.json"
check "kinds reported" sh -c "grep -q '\"kind\":\"discourse\"' '$T/stats.json' && grep -q '\"kind\":\"github\"' '$T/stats.json' && grep -q '\"kind\":\"jsonl\"' '$T/stats.json'"
grep -q '"questions":5046' "$T/stats.json"; check "5046 Discourse topics" [ $? = 0 ]

# No collisions: the same ext_id exists in several sources, each intact.
n=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT ext_id FROM threads GROUP BY ext_id HAVING count(DISTINCT source_id) > 1)")
check "overlapping source ids coexist ($n)" [ "$n" -gt 0 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT url FROM threads WHERE url IS NOT NULL GROUP BY url HAVING count(*) > 1)")
check "no two threads share a URL" [ "$n" = 0 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM threads t WHERE (SELECT count(*) FROM posts p WHERE p.source_id=t.source_id AND p.thread_ext=t.ext_id AND p.kind=1) <> 1")
check "every thread has exactly one question post" [ "$n" = 0 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM threads t WHERE accepted_ext IS NOT NULL AND (SELECT count(*) FROM posts p WHERE p.source_id=t.source_id AND p.thread_ext=t.ext_id AND p.ext_id=t.accepted_ext AND p.accepted=1 AND p.kind=2) <> 1")
check "accepted answers present and marked" [ "$n" = 0 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM posts WHERE body_html LIKE '%<script%' OR body_html LIKE '%javascript:%'")
check "no script in stored bodies" [ "$n" = 0 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM authors a JOIN sources s ON s.id=a.source_id WHERE s.kind='discourse' AND role IN ('admin','moderator','staff')")
check "Discourse staff flags give roles ($n)" [ "$n" -gt 0 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM thread_tags tt JOIN sources s ON s.id=tt.source_id WHERE s.kind='discourse' AND tag LIKE 'category-%'")
check "Discourse categories become tags" [ "$n" = 5046 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM posts p JOIN sources s ON s.id=p.source_id WHERE s.kind='jsonl' AND body_html LIKE '%<em>login</em>%'")
check "JSON Lines Markdown goes through cmark" [ "$n" = 1 ]
n=$(sqlite3 "$db" "SELECT count(*) FROM posts WHERE created NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'")
check "dates normalized" [ "$n" = 0 ]

# The mixed store indexes, searches, clusters and renders: one site, no
# URL collisions, every link resolving, every entry with valid JSON-LD.
$FAQTORY index --quiet --db "$db" 2>"$T/err"
check "index the mixed store" [ $? = 0 ]
first() { $FAQTORY search --db "$db" --json --limit 3 -- "$1" |
	python3 -c 'import json,sys; r=json.load(sys.stdin)["results"]; print(r[0]["source"]+":"+str(r[0]["id"]) if r else "")'; }
want=$(sqlite3 "$db" "SELECT s.name||':'||t.ext_id||'|'||t.title FROM threads t JOIN sources s ON s.id=t.source_id WHERE s.kind='github' AND t.accepted_ext IS NOT NULL ORDER BY t.ext_id LIMIT 1")
got=$(first "${want#*|}")
check "search finds a GitHub discussion by its title (${want%%|*} -> $got)" [ "$got" = "${want%%|*}" ]
want=$(sqlite3 "$db" "SELECT s.name||':'||t.ext_id||'|'||t.title FROM threads t JOIN sources s ON s.id=t.source_id WHERE s.kind='discourse' AND t.accepted_ext IS NOT NULL AND length(t.title) > 30 ORDER BY t.ext_id LIMIT 1")
got=$(first "${want#*|}")
check "search finds a Discourse topic by its title (${want%%|*} -> $got)" [ "$got" = "${want%%|*}" ]
n=$(sqlite3 "$db" "SELECT count(DISTINCT s.kind) FROM cluster_members m JOIN threads t ON t.id=m.thread_id JOIN sources s ON s.id=t.source_id WHERE s.kind<>'jsonl'")
check "clusters in the Discourse, GitHub and Stack Exchange sources" [ "$n" = 3 ]
# These formats carry no licence: the config gives it.
printf '[site]\ncontent_license = CC BY-SA 4.0\n' >"$T/mixed.ini"
$FAQTORY render --quiet --db "$db" --config "$T/mixed.ini" --out "$T/mixed-site" 2>"$T/err"
check "render the mixed store" [ $? = 0 ]
if python3 tests/e2e/site_check.py "$T/mixed-site" >"$T/chk" 2>&1; then
	ok "mixed site: links, CSP, JSON-LD, manifest"
else
	notok "mixed site check" "$(head -5 "$T/chk")"
fi
n=$(find "$T/mixed-site/q" -mindepth 1 -maxdepth 1 -type d | wc -l)
check "one URL folder per source ($n)" [ "$n" = 4 ]
# Relative links in bodies point where their author meant them (GitHub
# bodies link "/owner/repo/commit/..." on github.com).
n=$(grep -rl 'href="https://github.com/payloadcms/payload/commit/' "$T/mixed-site/q" | wc -l)
check "relative body links resolved against the original thread ($n pages)" [ "$n" -gt 0 ]

# Same data again: nothing changes (ids and hashes are stable).
before=$(digest "$db")
$FAQTORY ingest --db "$db" --json "$GH" "$JL" >"$T/r.json" 2>/dev/null
check "re-ingest changes nothing" [ "$before" = "$(digest "$db")" ]
check "re-ingest reports all unchanged" grep -q '"changed":0,"removed":0,"unchanged":241' "$T/r.json"

# A small Discourse folder and the same as .zip and plain .tar, cut from
# the shared tarball at run time (the data has no licence to copy).
python3 - "$DIS" "$T" <<'PY'
import io, os, sys, tarfile, zipfile
src, t = sys.argv[1:]
d = os.path.join(t, "forum.example.com")
os.makedirs(d)
names = []
with tarfile.open(src) as tf:
    for m in tf:
        if m.isfile() and m.name.endswith(".json"):
            data = tf.extractfile(m).read()
            n = os.path.basename(m.name)
            open(os.path.join(d, n), "wb").write(data)
            names.append(n)
            if len(names) == 60:
                break
with zipfile.ZipFile(os.path.join(t, "small.zip"), "w") as z:
    for n in names:
        z.write(os.path.join(d, n), "topics/" + n)
with tarfile.open(os.path.join(t, "small.tar"), "w") as tf:
    for n in names:
        tf.add(os.path.join(d, n), "topics/" + n)
PY
for s in "$T/forum.example.com" "$T/small.zip" "$T/small.tar"; do
	b=$(basename "$s")
	rm -f "$T/s.db"
	$FAQTORY ingest --quiet --db "$T/s.db" "$s" 2>"$T/err" || notok "ingest $b" "$(cat "$T/err")"
	$FAQTORY stats --db "$T/s.db" --json >"$T/s.json"
	python3 tests/e2e/json_count.py "discourse:$s" >"$T/c.json"
	check "Discourse from $b equals the count" compare "$T/s.json" "$T/c.json"
done
n=$(sqlite3 "$T/s.db" "SELECT count(*) FROM threads WHERE url LIKE 'https://%/t/%'")
check "no URL without a host in the name" [ "$n" = 0 ]
$FAQTORY ingest --quiet --db "$T/h.db" "$T/forum.example.com"
n=$(sqlite3 "$T/h.db" "SELECT count(*) FROM threads WHERE url LIKE 'https://forum.example.com/t/%/%'")
check "host-named source links to the original" [ "$n" = 60 ]
check "source named after archive base name" [ "$(sqlite3 "$T/s.db" "SELECT name FROM sources")" = small ]

# A paged topic (stream lists more posts than it holds): a warning.
mkdir -p "$T/paged"
f=$(ls "$T/forum.example.com" | head -1)
python3 - "$T/forum.example.com/$f" "$T/paged/$f" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["post_stream"]["stream"] = t["post_stream"]["stream"] + [999999991, 999999992]
json.dump(t, open(sys.argv[2], "w"))
PY
$FAQTORY ingest --db "$T/p.db" --format discourse "$T/paged" 2>"$T/err"
check "paged topic ingests" [ $? = 0 ]
check "paged topic: one warning line counting it" grep -q 'warning: paged: 1 topics list more posts' "$T/err"

# Detection and --format.
cp "$GH/discussions.json" "$T/gh-export.json"
$FAQTORY ingest --quiet --db "$T/d.db" "$T/gh-export.json"
check "lone GitHub .json detected" [ "$(sqlite3 "$T/d.db" "SELECT name||':'||kind FROM sources")" = gh-export:github ]
python3 - "$GH/discussions.json" "$T/graphql.json" <<'PY'
import json, sys
# The same discussions in the GraphQL export shape (Markdown bodies).
d = json.load(open(sys.argv[1]))[:5]
nodes = []
for i, x in enumerate(d):
    conv = lambda c: {"id": "DC_%d_%s" % (i, c["createdAt"]), "body": "**md** " + c["author"]["name"],
                      "createdAt": c["createdAt"], "author": {"login": c["author"]["name"]},
                      "replies": {"nodes": [{"body": r["body"], "createdAt": r["createdAt"],
                                             "author": {"login": r["author"]["name"]}} for r in (c["replies"] or [])]}}
    comments = [conv(c) for c in x["comments"]]
    nodes.append({"number": int(x["id"]), "title": x["title"], "body": "Question *%d*" % i,
                  "url": x["url"], "createdAt": x["createdAt"], "upvoteCount": x["upvotes"],
                  "category": {"name": "Q&A"}, "labels": {"nodes": [{"name": "help"}]},
                  "answer": conv(x["answer"]), "comments": {"nodes": comments}})
json.dump({"data": {"repository": {"discussions": {"nodes": nodes}}}}, open(sys.argv[2], "w"))
PY
$FAQTORY ingest --quiet --db "$T/q.db" "$T/graphql.json" 2>"$T/err" || notok "GraphQL shape" "$(cat "$T/err")"
$FAQTORY stats --db "$T/q.db" --json >"$T/q.json"
python3 tests/e2e/json_count.py "github:$T/graphql.json" >"$T/c.json"
check "GitHub GraphQL shape equals the count" compare "$T/q.json" "$T/c.json"
n=$(sqlite3 "$T/q.db" "SELECT count(*) FROM posts WHERE kind=1 AND body_html LIKE '<p>Question <em>%'")
check "GitHub GraphQL body is Markdown" [ "$n" = 5 ]
check "category and labels are tags" [ "$(sqlite3 "$T/q.db" "SELECT count(*) FROM thread_tags WHERE tag IN ('Q&A','help')")" = 10 ]
$FAQTORY ingest --quiet --db "$T/q.db" --format jsonl "$JL" 2>"$T/err"
check "--format jsonl on a .jsonl" [ $? = 0 ]

# Bad input: exit 1, one line naming the file and what is wrong, the
# store unchanged.
sdb=$T/bad.db
cp "$T/s.db" "$sdb"
mk() { # mk NAME: a fresh Discourse folder with one topic from stdin
	rm -rf "$T/$1"; mkdir -p "$T/$1"; cat >"$T/$1/t.1.json"; echo "$T/$1"
}
topic() { # topic [python expression editing t]: a small valid topic
	python3 - "$T/forum.example.com/$f" "$1" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
exec(sys.argv[2])
sys.stdout.write(json.dumps(t))
PY
}
d=$(topic "" | head -c 3000 | mk trunc)
expect_fail "Discourse: truncated JSON" "$sdb" 'trunc/t\.1\.json:[0-9]+:[0-9]+: .*(premature|end of|unexpected)' -- ingest --db "$sdb" --format discourse "$d"
d=$(topic 't["title"] = 42' | mk wrongtype)
expect_fail "Discourse: wrong type" "$sdb" "wrongtype/t\\.1\\.json: topic [0-9]+: 'title' is a number, expected a string" -- ingest --db "$sdb" "$d"
d=$(topic 't["post_stream"]["posts"] = []' | mk noposts)
expect_fail "Discourse: topic missing its posts" "$sdb" 'noposts/t\.1\.json: topic [0-9]+: .*no posts' -- ingest --db "$sdb" "$d"
d=$(topic 'del t["post_stream"]' | mk nostream)
expect_fail "Discourse: no post_stream" "$sdb" "nostream/t\\.1\\.json: topic [0-9]+: 'post_stream' is missing" -- ingest --db "$sdb" --format discourse "$d"
d=$(topic 't["accepted_answer"] = {"post_number": 999}' | mk dangling)
expect_fail "Discourse: accepted answer pointing nowhere" "$sdb" 'dangling/t\.1\.json: topic [0-9]+: accepted answer post_number 999 is not one of its posts' -- ingest --db "$sdb" "$d"
d=$(topic 't["post_stream"]["posts"][0]["cooked"] = "<p>" + "x" * (50 << 20)' | mk huge)
expect_fail "Discourse: 50 MB in one field" "$sdb" "huge/t\\.1\\.json: topic [0-9]+: post [0-9]+: 'cooked' is 50\\.0 MB, over the 16 MB" -- ingest --db "$sdb" "$d"
d=$(topic "" | python3 -c 'import sys; b=sys.stdin.buffer.read(); i=b.index(b"\"cooked\": \"")+11; sys.stdout.buffer.write(b[:i]+b"caf\xe9 \xff"+b[i:])' | mk badutf8)
expect_fail "Discourse: invalid UTF-8" "$sdb" 'badutf8/t\.1\.json:1:[0-9]+: .*(UTF-8|decode)' -- ingest --db "$sdb" "$d"
(cd "$T/trunc" && tar cf "$T/trunc.tar" t.1.json)
expect_fail "Discourse: bad member of an archive" "$sdb" 'trunc\.tar:t\.1\.json:[0-9]+:[0-9]+: ' -- ingest --db "$sdb" --format discourse "$T/trunc.tar"
cp "$T/forum.example.com/$f" "$T/dupe.json"
mkdir -p "$T/twice"; cp "$T/dupe.json" "$T/twice/a.json"; cp "$T/dupe.json" "$T/twice/b.json"
expect_fail "Discourse: same topic twice" "$sdb" 'twice/b\.json: topic [0-9]+: thread id [0-9]+ appears twice' -- ingest --db "$sdb" "$T/twice"

head -c 100000 "$GH/discussions.json" >"$T/ghtrunc.json"
expect_fail "GitHub: truncated JSON" "$sdb" 'ghtrunc\.json:[0-9]+:[0-9]+: ' -- ingest --db "$sdb" "$T/ghtrunc.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d[3]["comments"]=5; json.dump(d, open(sys.argv[2],"w"))' "$GH/discussions.json" "$T/ghtype.json"
expect_fail "GitHub: wrong type" "$sdb" "ghtype\\.json: discussion [0-9]+: 'comments' is a number" -- ingest --db "$sdb" "$T/ghtype.json"
echo '{"data":{"repository":{}}}' >"$T/ghempty.json"
expect_fail "GitHub: no discussions" "$sdb" 'ghempty\.json: no discussions' -- ingest --db "$sdb" --format github "$T/ghempty.json"

ln1=$(head -1 "$JL")
{ echo "$ln1"; echo "$ln1" | head -c 200; echo; } >"$T/jtrunc.jsonl"
expect_fail "JSONL: truncated line" "$sdb" 'jtrunc\.jsonl:2:[0-9]+: ' -- ingest --db "$sdb" "$T/jtrunc.jsonl"
{ echo "$ln1"; echo '{"id": 5, "title": "t", "question": {"body": ["x"]}}'; } >"$T/jtype.jsonl"
expect_fail "JSONL: wrong type" "$sdb" "jtype\\.jsonl:2: thread 5: 'body' is an array, expected a string" -- ingest --db "$sdb" "$T/jtype.jsonl"
printf '{"id": 5, "title": "caf\351", "question": {"body": "x"}}\n' >"$T/jutf.jsonl"
expect_fail "JSONL: invalid UTF-8" "$sdb" 'jutf\.jsonl:1:[0-9]+: .*(UTF-8|decode)' -- ingest --db "$sdb" "$T/jutf.jsonl"
python3 -c 'import json; print(json.dumps({"id": 1, "title": "t", "question": {"body": "x" * (50 << 20)}}))' >"$T/jhuge.jsonl"
expect_fail "JSONL: 50 MB in one field" "$sdb" "jhuge\\.jsonl:1: thread 1: 'body' is 50\\.0 MB" -- ingest --db "$sdb" "$T/jhuge.jsonl"
echo '{"id": 1, "title": "t", "question": {"body": "x"}, "answers": [{"body": "a", "accepted": true}, {"body": "b", "accepted": true}]}' >"$T/jacc.jsonl"
expect_fail "JSONL: two accepted answers" "$sdb" 'jacc\.jsonl:1: thread 1: more than one answer is accepted' -- ingest --db "$sdb" "$T/jacc.jsonl"
echo '{"id": 1, "title": "t"}' >"$T/jnoq.jsonl"
expect_fail "JSONL: no question" "$sdb" "jnoq\\.jsonl:1: thread 1: 'question' is missing" -- ingest --db "$sdb" "$T/jnoq.jsonl"
echo '{"hello": 1}' >"$T/what.json"
expect_fail "undetectable .json" "$sdb" 'what\.json: cannot tell the format.*--format' -- ingest --db "$sdb" "$T/what.json"
expect_fail "unknown --format" "$sdb" "unknown format 'mbox'" -- ingest --db "$sdb" --format mbox "$JL"
expect_fail "wrong --format" "$sdb" "gh-export\\.json: .*post_stream|topic" -- ingest --db "$sdb" --format discourse "$T/gh-export.json"
