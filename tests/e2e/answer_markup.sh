#!/bin/sh
# answer_markup: which answer a page publishes, as search engines and
# tests read it.  The QAPage JSON-LD names the accepted answer as
# acceptedAnswer and every other shown answer as suggestedAnswer, each
# with its original URL where the source gives one (and none made up
# where it does not); the published answer's element says its kind and
# its id in the source (data-answer-kind, data-answer-id).
. "$(dirname "$0")/lib.sh"
BEER=examples/beer.stackexchange.com.7z

# -- Stack Exchange: every entry of the beer sample ------------------------
db=$T/beer.db
$FAQTORY ingest --quiet --db "$db" "$BEER" 2>"$T/err" &&
	$FAQTORY render --quiet --db "$db" --out "$T/a" 2>>"$T/err"
check "beer ingested and rendered" [ $? = 0 ]
$FAQTORY render --quiet --db "$db" --out "$T/b" 2>>"$T/err"
check "two renders are byte-identical" diff -r "$T/a" "$T/b"

# Checks every entry page of SITE against the dump's own Posts.xml, read
# by Python's XML parser: prints "N entries, M suggested" or problems.
cat >"$T/se_check.py" <<'PY'
import json, os, re, subprocess, sys
import xml.etree.ElementTree as ET
dump, site, host = sys.argv[1:4]
xml = subprocess.run(["7z", "x", "-so", dump, "Posts.xml"],
                     capture_output=True, check=True).stdout
accepted, parent = {}, {}
for r in ET.fromstring(xml).iter("row"):
    if r.get("PostTypeId") == "1" and r.get("AcceptedAnswerId"):
        accepted[r.get("Id")] = r.get("AcceptedAnswerId")
    if r.get("PostTypeId") == "2":
        parent[r.get("Id")] = r.get("ParentId")
LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
KIND = re.compile(r'<[a-z]+ [^>]*data-answer-kind="([^"]*)"[^>]*>')
problems, entries, suggested = [], 0, 0
def url(aid):
    return "https://%s/a/%s" % (host, aid)
for d, _, fs in sorted(os.walk(os.path.join(site, "q"))):
    if "index.html" not in fs:
        continue
    t = open(os.path.join(d, "index.html"), encoding="utf-8").read()
    if 'http-equiv="refresh"' in t:
        continue
    entries += 1
    qid = os.path.relpath(d, site).split("/")[2]
    want = accepted.get(qid)
    try:
        q = json.loads(LD.findall(t)[0])["mainEntity"]
        a = q["acceptedAnswer"]
        assert want, "no accepted answer in Posts.xml"
        assert a["url"] == url(want), (a.get("url"), want)
        sug = q.get("suggestedAnswer", [])
        shown = t.count('<details class="post answer"')
        assert len(sug) == shown, ("suggested", len(sug), "shown", shown)
        for s in sug:
            aid = s["url"].rsplit("/", 1)[1]
            assert s["url"] == url(aid) and parent.get(aid) == qid and \
                aid != want, s["url"]
            assert 'id="a-%s"' % aid in t, "suggested answer not on page"
        suggested += len(sug)
        marked = KIND.findall(t)
        assert marked == ["accepted"], marked
        el = KIND.search(t).group(0)
        assert 'data-answer-id="%s"' % want in el, el
        assert 'id="a-%s"' % want in el, el
    except Exception as e:  # noqa: BLE001
        problems.append("%s: %r" % (os.path.relpath(d, site), e))
for p in problems[:5]:
    print(p)
if not problems:
    print("%d entries, %d suggested" % (entries, suggested))
sys.exit(1 if problems or entries < 100 or suggested < 100 else 0)
PY
if python3 "$T/se_check.py" "$BEER" "$T/a" beer.stackexchange.com >"$T/out" 2>&1; then
	ok "beer: every entry's acceptedAnswer is /a/<AcceptedAnswerId>, its other answers suggestedAnswer with /a/ URLs, one data-answer-kind=accepted element ($(cat "$T/out"))"
else
	notok "beer answer markup" "$(head -5 "$T/out")"
fi

# A store of the previous schema (no post URLs) gets the Stack Exchange
# ones when it is opened: the render needs no new ingest.
cp "$db" "$T/old.db"
sqlite3 "$T/old.db" "DROP TABLE post_hrefs; DROP TABLE post_src; DROP TABLE index_neighbours; DROP TABLE issue_members; DROP TABLE issues; DROP TABLE post_links; ALTER TABLE posts DROP COLUMN url; DROP TABLE answer_choice; DROP TABLE votes; ALTER TABLE threads DROP COLUMN accepted_day; PRAGMA user_version=6"
$FAQTORY render --quiet --db "$T/old.db" --out "$T/old" 2>"$T/err"
st=$?
[ $st = 0 ] || head -3 "$T/err" >&2
check "an older store is migrated and renders" [ $st = 0 ]
# Links between posts are resolved by ingest (post_links, schema step
# 11): until the next ingest, only the entries whose bodies link a
# question of the site differ (those links point at the source site).
diff -rq "$T/a/q" "$T/old/q" | sed -n 's|^Files .*/a/q/beer/\([0-9]*\)/.* differ$|\1|p' |
	sort -u >"$T/differ"
sqlite3 "$db" "SELECT DISTINCT from_ext FROM post_links" | sort -u >"$T/linking"
check "its pages differ only where a body links the site ($(wc -l <"$T/differ") entries)" \
    sh -c "[ -s '$T/differ' ] && [ \$(diff -rq '$T/a/q' '$T/old/q' | wc -l) = \$(wc -l <'$T/differ') ] &&
	[ -z \"\$(comm -23 '$T/differ' '$T/linking')\" ]"
sqlite3 "$T/old.db" "ATTACH '$db' AS n; INSERT INTO post_links SELECT * FROM n.post_links"
$FAQTORY render --quiet --db "$T/old.db" --out "$T/old2" 2>"$T/err"
check "and with its links resolved its pages are the same" diff -r "$T/a/q" "$T/old2/q"

# -- Discourse, GitHub, JSON Lines: a URL where the source gives one -------
printf '[site]\ncontent_license = CC BY-SA 4.0\n' >"$T/f.ini"
# One topic: post ids (501...) differ from post numbers (1...), so a
# URL made from the wrong one shows.
mkdir -p "$T/forum.example.com" "$T/forum"
cat >"$T/forum.example.com/t.9.json" <<'EOF'
{"id": 9, "title": "How do I reset the cache?", "slug": "reset-the-cache",
 "created_at": "2024-01-02T03:04:05Z", "accepted_answer": {"post_number": 3},
 "post_stream": {"posts": [
  {"id": 501, "post_number": 1, "username": "ada", "user_id": 7, "created_at": "2024-01-02T03:04:05Z", "cooked": "<p>The cache is stale.</p>"},
  {"id": 502, "post_number": 2, "username": "bob", "user_id": 8, "created_at": "2024-01-02T04:00:00Z", "cooked": "<p>Restart it.</p>", "actions_summary": [{"id": 2, "count": 4}]},
  {"id": 503, "post_number": 3, "username": "cy", "user_id": 9, "created_at": "2024-01-02T05:00:00Z", "cooked": "<p>Delete the folder.</p>", "actions_summary": [{"id": 2, "count": 1}]}]}}
EOF
cp "$T/forum.example.com/t.9.json" "$T/forum/t.9.json"
# GitHub's GraphQL export gives each comment its URL; one is unsafe.
cat >"$T/gh.json" <<'EOF'
{"data": {"repository": {"discussions": {"nodes": [
 {"number": 4, "title": "Build fails on ARM", "body": "It fails.", "url": "https://github.com/o/r/discussions/4",
  "createdAt": "2024-02-01T00:00:00Z", "author": {"login": "ada"},
  "answer": {"id": "DC_a", "body": "Use the new flag.", "url": "https://github.com/o/r/discussions/4#discussioncomment-11", "createdAt": "2024-02-02T00:00:00Z", "author": {"login": "bob"}},
  "comments": {"nodes": [
   {"id": "DC_a", "body": "Use the new flag.", "url": "https://github.com/o/r/discussions/4#discussioncomment-11", "createdAt": "2024-02-02T00:00:00Z", "author": {"login": "bob"}, "upvoteCount": 3},
   {"id": "DC_b", "body": "Same here.", "url": "javascript:alert(1)", "createdAt": "2024-02-03T00:00:00Z", "author": {"login": "cy"}, "upvoteCount": 2}]}}]}}}}
EOF
# JSON Lines has no field for an answer's URL: its answers get none,
# though the thread has one.
cat >"$T/kb.jsonl" <<'EOF'
{"id": 17, "title": "Export to CSV?", "url": "https://kb.example.com/t/17", "question": {"id": 170, "author": "Ada", "date": "2024-01-02T03:04:05Z", "body": "Can I?"}, "answers": [{"id": 171, "author": "Bo", "date": "2024-01-02T05:00:00Z", "score": 2, "accepted": true, "body": "Settings, Export."}, {"id": 172, "author": "Cy", "date": "2024-01-03T00:00:00Z", "score": 1, "body": "Or the API."}]}
EOF
fdb=$T/f.db
$FAQTORY ingest --quiet --db "$fdb" "$T/forum.example.com" "$T/forum" "$T/gh.json" "$T/kb.jsonl" 2>"$T/err" &&
	$FAQTORY render --quiet --db "$fdb" --config "$T/f.ini" --out "$T/f" 2>>"$T/err"
st=$?
[ $st = 0 ] || head -3 "$T/err" >&2
check "the other formats ingest and render" [ $st = 0 ]

# ld PAGE: the page's answers, one line each: "accepted|suggested URL"
# ("-" for none), then "marked KIND ID" for each marked element.
ld() {
	python3 - "$1" <<'PY'
import json, re, sys
t = open(sys.argv[1], encoding="utf-8").read()
q = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', t, re.S).group(1))["mainEntity"]
for k, a in [("accepted", q["acceptedAnswer"])] + [("suggested", s) for s in q.get("suggestedAnswer", [])]:
    print(k, a.get("url", "-"))
for m in re.finditer(r'data-answer-kind="([^"]*)" data-answer-id="([^"]*)"', t):
    print("marked", m.group(1), m.group(2))
PY
}
# page SITE SRC: the entry page of source SRC in SITE (one per source).
page() { find "$1/q/$2" -path '*/index.html' | while read -r f; do grep -q 'http-equiv="refresh"' "$f" || echo "$f"; done | head -1; }
got=$(ld "$(page "$T/f" forum.example.com)" | tr '\n' ';')
want="accepted https://forum.example.com/t/reset-the-cache/9/3;suggested https://forum.example.com/t/reset-the-cache/9/2;marked accepted 503;"
check "Discourse named after its host: the posts' own URLs by post number ($got)" [ "$got" = "$want" ]
got=$(ld "$(page "$T/f" forum)" | tr '\n' ';')
check "Discourse without a host: no answer URL, none invented ($got)" [ "$got" = "accepted -;suggested -;marked accepted 503;" ]
got=$(ld "$(page "$T/f" kb)" | tr '\n' ';')
check "JSON Lines: no answer URL ($got)" [ "$got" = "accepted -;suggested -;marked accepted 171;" ]
got=$(ld "$(page "$T/f" gh)" | tr '\n' ';')
case $got in
"accepted https://github.com/o/r/discussions/4#discussioncomment-11;suggested -;marked accepted "[0-9]*";")
	ok "GitHub: the comment's URL; an unsafe one is dropped ($got)" ;;
*) notok "GitHub answer URLs" "$got" ;;
esac
n=$($FAQTORY stats --db "$fdb" --json | python3 -c 'import json,sys; print([s["skipped"].get("unsafe_url", 0) for s in json.load(sys.stdin)["sources"] if s["kind"] == "github"][0])')
check "the unsafe URL is counted as skipped ($n)" [ "$n" = 1 ]

# The render checks a stored URL again and escapes it for <script>: a
# store written by something else cannot break out of the JSON-LD.
sqlite3 "$fdb" "UPDATE posts SET url='javascript:alert(1)' WHERE ext_id=502; UPDATE posts SET url='https://x.example/</script><script>alert(1)</script>' WHERE ext_id=503 AND source_id=(SELECT id FROM sources WHERE name='forum.example.com')"
# (A new folder: the thread's hash, which a re-render goes by, says
# nothing changed.)
$FAQTORY render --quiet --db "$fdb" --config "$T/f.ini" --out "$T/g" 2>"$T/err"
p=$(page "$T/g" forum.example.com)
got=$(ld "$p" | tr '\n' ';')
check "an unsafe stored URL is left out, a safe one kept ($got)" [ "$got" = "accepted https://x.example/</script><script>alert(1)</script>;suggested -;marked accepted 503;" ]
check "and it is escaped inside the script block" sh -c "[ \$(grep -c '<script' '$p') = 1 ] && grep -q 'x.example/\\\\u003c/script' '$p'"

# -- A writer's article replaces the accepted answer -----------------------
# It is the acceptedAnswer (it has no URL: it is nowhere else); the
# accepted answer stays on the page, marked, and is a suggestedAnswer with
# its original URL.
SITE=eosio.meta.stackexchange.com
mkdir -p "$T/cur/articles"
echo 'Edit the question, then flag it.' >"$T/cur/articles/a.md"
printf '[45]\narticle = articles/a.md\nauthor = Jane Writer\n' >"$T/cur/curation.ini"
printf '[build]\ndb = %s\nout = %s\ncuration = curation.ini\nsource = %s\n' \
    "$T/cur.db" "$T/cur/site" "$(cd "$DATA" && pwd)/$SITE" >"$T/cur/faqtory.ini"
$FAQTORY build --quiet --config "$T/cur/faqtory.ini" 2>"$T/err"
st=$?
[ $st = 0 ] || head -3 "$T/err" >&2
check "build with a writer's article" [ $st = 0 ]
acc=$(grep -o '<row Id="45" [^>]*' "$DATA/$SITE/Posts.xml" | sed -n 's/.*AcceptedAnswerId="\([0-9]*\)".*/\1/p')
got=$(ld "$(ls -d "$T"/cur/site/q/eosio.meta/45/*/ | head -1)index.html" | tr '\n' ';')
check "article: acceptedAnswer without URL, the accepted answer suggested with its own and marked ($got)" \
    [ "$got" = "accepted -;suggested https://$SITE/a/$acc;marked accepted $acc;" ]
