#!/bin/sh
# ingest_keep: a source ingested again keeps the posts given as they
# were (ingest/keep.c) and still ends up with exactly the rows an ingest
# into a fresh store gives: after a night's edits and new questions
# (bench/nightly.py), an acceptance moved to another answer, a question
# removed with its answers, an answer body given a link to another
# question, and one made too deep to sanitize.  Thread ids are the only
# column allowed to differ (they stay stable across snapshots).
. "$(dirname "$0")/lib.sh"
BEER=$DATA/beer.stackexchange.com

mkdir -p "$T/a/beer"
cp "$BEER"/*.xml "$T/a/beer/"
python3 bench/nightly.py "$T/a" "$T/b" 5 3 >/dev/null
for f in "$T"/a/beer/*.xml; do
	[ -e "$T/b/beer/${f##*/}" ] || cp "$f" "$T/b/beer/"
done
P=$T/b/beer/Posts.xml
# Question 2's acceptance moves from answer 175 to answer 46; question 3
# goes with its answers; answer 4 links to question 8; answer 653 nests
# past what the sanitizer takes.
check "the edits apply" sh -c "grep -q '<row Id=\"2\" .*AcceptedAnswerId=\"175\"' '$P' &&
	grep -q '<row Id=\"46\" .*ParentId=\"2\"' '$P' && grep -q '<row Id=\"4\" ' '$P' &&
	grep -q '<row Id=\"653\" ' '$P'"
python3 - "$P" <<'EOF2'
import re, sys
p = sys.argv[1]
rows = open(p, encoding="utf-8-sig").read().split("\n")
out = []
for r in rows:
    if re.search(r'<row Id="3" |ParentId="3"', r):
        continue
    if '<row Id="2" ' in r:
        r = r.replace('AcceptedAnswerId="175"', 'AcceptedAnswerId="46"')
    if '<row Id="4" ' in r:
        r = r.replace(' Body="', ' Body="&lt;p&gt;See &lt;a href=&quot;'
                      '/questions/8&quot;&gt;this&lt;/a&gt;&lt;/p&gt;', 1)
    if '<row Id="653" ' in r:
        r = r.replace(' Body="', ' Body="' + "&lt;div&gt;" * 300, 1)
    out.append(r)
open(p, "w", encoding="utf-8").write("\n".join(out))
EOF2
ingest() { $FAQTORY ingest --json --db "$1" "$2" ${3:-} 2>"$T/err" || notok "ingest $*" "$(head -c 300 "$T/err")"; }
ingest "$T/inc.db" "$T/a/beer" >/dev/null
ingest "$T/inc.db" "$T/b/beer" >"$T/inc.json"
ingest "$T/new.db" "$T/b/beer" >"$T/new.json"
check "the second ingest saw the change" \
	grep -q '"removed":1,' "$T/inc.json"

rows() { # DB: every ingest table but thread ids, in key order
	sqlite3 "$1" "
	SELECT source_id, ext_id, title, created, last_activity, closed, score,
	  views, accepted_ext, url, meta_hash, hash, accepted_day
	  FROM threads ORDER BY ext_id;
	SELECT * FROM posts ORDER BY source_id, ext_id;
	SELECT * FROM post_src ORDER BY source_id, ext_id;
	SELECT * FROM post_hrefs ORDER BY 1, 2, 3, 4, 5, 6, 7;
	SELECT * FROM post_links ORDER BY 1, 2, 3;
	SELECT * FROM comments ORDER BY 1, 2;
	SELECT * FROM links ORDER BY 1, 2, 3, 4;
	SELECT * FROM votes ORDER BY 1, 2, 3;
	SELECT * FROM thread_tags ORDER BY 1, 2, 3;
	SELECT * FROM tags ORDER BY 1, 2;
	SELECT name, kind, newest, skipped, missing FROM sources;"
}
rows "$T/inc.db" >"$T/inc.rows"
rows "$T/new.db" >"$T/new.rows"
check "kept posts: the same rows as a fresh ingest ($(wc -l <"$T/new.rows") rows)" \
	cmp -s "$T/inc.rows" "$T/new.rows"
check "the moved acceptance: only answer 46 of question 2 is accepted" \
	[ "$(sqlite3 "$T/inc.db" "SELECT group_concat(ext_id) FROM posts WHERE thread_ext = 2 AND accepted = 1")" = 46 ]
check "the removed question's posts and hashes are gone" \
	[ "$(sqlite3 "$T/inc.db" "SELECT count(*) FROM posts WHERE thread_ext = 3; SELECT count(*) FROM post_src s WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.ext_id = s.ext_id)" | tr '\n' ' ')" = "0 0 " ]
check "the new link resolves from the kept thread" \
	[ "$(sqlite3 "$T/inc.db" "SELECT to_ext FROM post_links WHERE from_ext = 1 AND href LIKE '%questions/8'")" = 8 ]
check "the unsanitizable answer is left out, named and counted" \
	sh -c "grep -q 'unsanitizable_body' '$T/inc.json' || sqlite3 '$T/inc.db' 'SELECT skipped FROM sources' | grep -q unsanitizable_body"
check "the unsanitizable answer has no row and no hash" \
	[ "$(sqlite3 "$T/inc.db" "SELECT count(*) FROM posts WHERE ext_id = 653; SELECT count(*) FROM post_src WHERE ext_id = 653" | tr '\n' ' ')" = "0 0 " ]

# The same snapshot again: nothing changes, and the posts are not
# written again (their rowids stay).
sqlite3 "$T/inc.db" "SELECT rowid, ext_id FROM posts ORDER BY ext_id" >"$T/rowids"
ingest "$T/inc.db" "$T/b/beer" >"$T/again.json"
check "the same snapshot twice: nothing new or changed" \
	grep -q '"added":0,"changed":0,"removed":0' "$T/again.json"
rows "$T/inc.db" >"$T/again.rows"
check "the same snapshot twice: the same rows" cmp -s "$T/inc.rows" "$T/again.rows"
check "the same snapshot twice: no post written again" \
	sh -c "sqlite3 '$T/inc.db' 'SELECT rowid, ext_id FROM posts ORDER BY ext_id' | cmp -s - '$T/rowids'"
ingest "$T/inc.db" "$T/b/beer" --full >/dev/null
rows "$T/inc.db" >"$T/full.rows"
check "ingest --full: the same rows" cmp -s "$T/inc.rows" "$T/full.rows"
check "ingest --full: every post written again" \
	sh -c "! sqlite3 '$T/inc.db' 'SELECT rowid, ext_id FROM posts ORDER BY ext_id' | cmp -s - '$T/rowids'"

# A post given twice whose repeat the sanitizer cannot take: the repeat
# is left out with its warning, as in a fresh store, and the ingest
# goes on (the first one's row and hash stand).
mkdir -p "$T/r/beer"
cp "$T"/b/beer/*.xml "$T/r/beer/"
python3 - "$T/r/beer/Posts.xml" <<'PY'
import sys
p = sys.argv[1]
rows = open(p, encoding="utf-8").read().split("\n")
k = [i for i, r in enumerate(rows) if '<row Id="4" ' in r][0]
rows.insert(k + 1, rows[k].replace(' Body="', ' Body="' + "&lt;div&gt;" * 300, 1))
open(p, "w", encoding="utf-8").write("\n".join(rows))
PY
for db in inc fresh; do
	$FAQTORY ingest --quiet --db "$T/$db.db" "$T/r/beer" 2>"$T/rep.$db"
	echo $? >>"$T/rep.$db"
done
check "a repeat too deep to sanitize: warned, skipped, the ingest goes on (kept and fresh)" \
	sh -c "for f in '$T/rep.inc' '$T/rep.fresh'; do grep -q 'post 4: body HTML nested too deep' \$f && tail -1 \$f | grep -qx 0 || exit 1; done"
rows "$T/inc.db" >"$T/inc.rows"
rows "$T/fresh.db" >"$T/new.rows"
check "a repeat too deep to sanitize: the same rows as a fresh ingest" cmp -s "$T/inc.rows" "$T/new.rows"
