#!/bin/sh
# The archive layer (ingest/input.c): member names that are not ASCII.
# faqtory runs in the C locale, where libarchive could not convert a
# UTF-8 name and refused the whole archive.
. tests/e2e/lib.sh

# A Discourse topic in a zip whose member name is flagged UTF-8 (as
# Python, Java and Windows tools write them).
python3 - "$T/forum.zip" <<'PY'
import json, sys, zipfile
t = {"id": 7, "title": "Как собрать примеры?", "category_id": 9,
     "created_at": "2014-10-06T15:21:33.000Z",
     "post_stream": {"stream": [70], "posts": [{"id": 70, "post_number": 1,
       "post_type": 1, "user_id": 1, "created_at": "2014-10-06T15:21:33.000Z",
       "cooked": "<p>Где примеры?</p>"}]}}
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("t/как-собрать-примеры.7.json", json.dumps(t))
PY
$FAQTORY ingest --db "$T/z.db" --format discourse "$T/forum.zip" >"$T/out" 2>"$T/err"
st=$?
check "zip member with a UTF-8 name is read" \
	[ "$st:$(sqlite3 "$T/z.db" "SELECT count(*) FROM threads")" = 0:1 ]

# A Stack Exchange dump packed in a folder with a non-ASCII name (a pax
# tar stores it as UTF-8).
python3 - "$T/dump.tar.xz" <<'PY'
import io, sys, tarfile
posts = ('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
  '  <row Id="1" PostTypeId="1" CreationDate="2014-01-21T20:26:05.383" '
  'Score="1" Body="&lt;p&gt;Что такое хмель?&lt;/p&gt;" Title="Хмель" '
  'Tags="&lt;hops&gt;" />\n</posts>\n').encode()
with tarfile.open(sys.argv[1], "w:xz", format=tarfile.PAX_FORMAT) as t:
    i = tarfile.TarInfo("дамп/Posts.xml"); i.size = len(posts)
    t.addfile(i, io.BytesIO(posts))
PY
$FAQTORY ingest --db "$T/t.db" "$T/dump.tar.xz" >"$T/out" 2>"$T/err"
st=$?
check "pax tar member in a UTF-8 folder is read" \
	[ "$st:$(sqlite3 "$T/t.db" "SELECT count(*) FROM threads")" = 0:1 ]

# Member names are the source's: a newline or an escape sequence in one
# must not forge a second error line or reach the terminal.
evil=$(printf 'evil\033[2J\nfaqtory: all good.json')
python3 - "$T/evil.tar" "$evil" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    i = tarfile.TarInfo("t/" + sys.argv[2]); i.size = 9
    t.addfile(i, io.BytesIO(b'{"id": 1,'))
PY
db="$T/e.db"
$FAQTORY ingest --db "$db" "$T/forum.zip" >/dev/null 2>&1
expect_fail "control characters in an archive member name" "$db" \
	'^faqtory: evil\.tar:evil\?\[2J\?faqtory: all good\.json:1:[0-9]+: ' \
	-- ingest --db "$db" --format discourse "$T/evil.tar"
mkdir -p "$T/evildir"
printf '{"id": 1,' >"$T/evildir/$evil"
expect_fail "control characters in a file name of a folder" "$db" \
	'^faqtory: .*/evildir/evil\?\[2J\?faqtory: all good\.json:1:[0-9]+: ' \
	-- ingest --db "$db" --format discourse "$T/evildir"
