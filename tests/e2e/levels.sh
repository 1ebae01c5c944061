#!/bin/sh
# The two levels of clusters on every shared Stack Exchange site
# (docs/index.md): recurring issues (tight: the same problem asked
# again) and topics (loose, for browsing).  Both are present; at most
# half of a site's questions are in a recurring issue; every issue is
# named by its canonical question's title, and that question is the
# best answered of its members; `clusters --level` filters; the home
# page lists recurring issues by their canonical titles.
. tests/e2e/lib.sh

for src in beer.stackexchange.com cardano.stackexchange.com \
    dba.meta.stackexchange.com eosio.meta.stackexchange.com \
    quantumcomputing.stackexchange.com; do
	db=$T/$src.db
	if ! $FAQTORY ingest --quiet --db "$db" "$DATA/$src" 2>"$T/err" ||
	    ! $FAQTORY index --quiet --db "$db" 2>>"$T/err" ||
	    ! $FAQTORY clusters --db "$db" --json >"$T/$src.json" 2>>"$T/err" ||
	    ! $FAQTORY clusters --db "$db" --json --level issue \
	    >"$T/$src.issue.json" 2>>"$T/err" ||
	    ! $FAQTORY clusters --db "$db" --json --level topic \
	    >"$T/$src.topic.json" 2>>"$T/err"; then
		notok "$src: build" "$(head -c 300 "$T/err")"
		continue
	fi
	check "$src: both levels, --level filters, issues on at most half the questions" \
	    python3 - "$T/$src" "$(sqlite3 "$db" "SELECT count(*) FROM threads")" <<'EOF'
import json, sys
base, nq = sys.argv[1], int(sys.argv[2])
both = json.load(open(base + ".json"))["clusters"]
iss = json.load(open(base + ".issue.json"))["clusters"]
top = json.load(open(base + ".topic.json"))["clusters"]
assert iss and top, (len(iss), len(top))
assert {c["level"] for c in iss} == {"issue"}
assert {c["level"] for c in top} == {"topic"}
assert sorted(json.dumps(c, sort_keys=True) for c in both) == sorted(
    json.dumps(c, sort_keys=True) for c in iss + top)
members = [m["id"] for c in iss for m in c["members"]]
assert len(members) == len(set(members)), "a question in two issues"
share = len(members) / nq
print("  %d issues hold %.3f of %d questions; %d topics" % (
    len(iss), share, nq, len(top)), file=sys.stderr)
assert share <= 0.5, share
for c in iss:
    assert any(m["id"] == c["canonical"]["id"] and m["similarity"] == 1
               for m in c["members"]), c
EOF
	# The label is the canonical title; the canonical question publishes
	# an answer whenever a member does (accepted before community).
	bad=$(sqlite3 "$db" "SELECT count(*) FROM issues i
	    JOIN threads c ON c.id=i.canonical_thread
	    WHERE i.label<>c.title OR (c.accepted_ext IS NULL AND EXISTS
	    (SELECT 1 FROM issue_members m JOIN threads t ON t.id=m.thread_id
	     WHERE m.issue_id=i.id AND t.accepted_ext IS NOT NULL))")
	check "$src: every issue titled by its canonical question, the best answered ($bad bad)" \
	    [ "$bad" = 0 ]
done

db=$T/beer.stackexchange.com.db
$FAQTORY clusters --db "$db" --level cluster >/dev/null 2>"$T/err"
check "--level takes issue or topic only (exit 2)" [ $? -eq 2 ]
$FAQTORY clusters --db "$db" --level issue >"$T/text" 2>/dev/null
check "text output names the level" sh -c "grep -q '^issue [0-9]*: ' '$T/text' && ! grep -q '^topic ' '$T/text'"

# The home page: recurring issues, each titled by its canonical question,
# by reach (views and questions), linked to the entry.
$FAQTORY render --quiet --db "$db" --out "$T/site" 2>"$T/err"
check "render beer" [ $? -eq 0 ]
sqlite3 -separator '	' "$db" "SELECT c.title, i.size + (SELECT sum(t.views)
    FROM issue_members m JOIN threads t ON t.id=m.thread_id
    WHERE m.issue_id=i.id) FROM issues i
    JOIN threads c ON c.id=i.canonical_thread" >"$T/issues.tsv"
check "home page: top recurring issues are issues, by canonical title and reach" \
    python3 - "$T/site/index.html" "$T/issues.tsv" <<'EOF'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
reach = {}
for line in open(sys.argv[2], encoding="utf-8"):
    title, r = line.rstrip("\n").split("\t")
    reach[title] = int(r)
sec = re.search(r'<h2 id="top">.*?</ol>', page, re.S)
assert sec, "no top recurring issues"
items = [html.unescape(t) for t in re.findall(
    r'<li><a href="[^"]*">([^<]*)</a>', sec.group(0))]
assert len(items) >= 5, items
assert all(t in reach for t in items), [t for t in items if t not in reach]
r = [reach[t] for t in items]
assert r == sorted(r, reverse=True), r
print("  " + " | ".join(items[:10]), file=sys.stderr)
EOF
