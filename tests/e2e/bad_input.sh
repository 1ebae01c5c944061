#!/bin/sh
# Bad input: exit 1, one clear error line naming the file (and
# line:column for XML), the store's content exactly as before.
. tests/e2e/lib.sh

db=$T/store.db
$FAQTORY ingest --quiet --db "$db" "$DATA/eosio.meta.stackexchange.com" || notok "seed store"
src=$DATA/eosio.meta.stackexchange.com/Posts.xml

site() { # a fresh dump folder with the given Posts.xml content on stdin
	d=$T/$1.stackexchange.com
	rm -rf "$d"; mkdir -p "$d"
	cat >"$d/Posts.xml"
	echo "$d"
}
head='<?xml version="1.0" encoding="utf-8"?>'
q='PostTypeId="1" Title="t" CreationDate="2020-01-01T00:00:00"'

d=$(head -c 40000 "$src" | site truncated)
expect_fail "truncated Posts.xml" "$db" 'Posts\.xml:[0-9]+:[0-9]+: ' -- ingest --db "$db" "$d"

d=$(printf '%s\n<posts>\n<row Id="1" %s Body="x" <row/>\n</posts>\n' "$head" "$q" | site malformed)
expect_fail "malformed XML" "$db" 'malformed\.stackexchange\.com/Posts\.xml:3:[0-9]+: ' -- ingest --db "$db" "$d"

d=$(printf '%s\n<posts>\n<row Id="1" %s Body="caf\351 \377"/>\n</posts>\n' "$head" "$q" | site badutf8)
expect_fail "invalid UTF-8" "$db" 'Posts\.xml:3:[0-9]+: .*(UTF-8|encoding|Char)' -- ingest --db "$db" "$d"

d=$(cat <<EOF2 | site laughs
$head
<!DOCTYPE posts [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<posts><row Id="1" $q Body="&lol9;"/></posts>
EOF2
)
expect_fail "billion laughs" "$db" 'laughs\.stackexchange\.com/Posts\.xml:[0-9]+:[0-9]+: .*entit' -- ingest --db "$db" "$d"

echo "secret-canary-$$" >"$T/secret.txt"
d=$(cat <<EOF2 | site xxe
$head
<!DOCTYPE posts [ <!ENTITY xxe SYSTEM "file://$T/secret.txt"> ]>
<posts><row Id="1" $q Body="&xxe;"/></posts>
EOF2
)
expect_fail "external entity (XXE)" "$db" 'xxe\.stackexchange\.com/Posts\.xml:[0-9]+:[0-9]+: .*entit' -- ingest --db "$db" "$d"
check "XXE: secret never read" sh -c "! grep -q secret-canary '$T/err' '$T/out'"
d=$(cat <<EOF2 | site xxe2
$head
<!DOCTYPE posts SYSTEM "file://$T/evil.dtd">
<posts><row Id="1" $q Body="x"/></posts>
EOF2
)
printf '<!ENTITY %% leak SYSTEM "file://%s/secret.txt">' "$T" >"$T/evil.dtd"
$FAQTORY ingest --quiet --db "$T/xxe2.db" "$d" >/dev/null 2>&1
check "external DTD is never loaded" [ "$(sqlite3 "$T/xxe2.db" "SELECT count(*) FROM posts WHERE body_html LIKE '%canary%'")" = 0 ]

python3 - "$T" "$head" "$q" <<'PY'
import sys
t, head, q = sys.argv[1:]
import os
os.makedirs(t + "/huge.stackexchange.com", exist_ok=True)
with open(t + "/huge.stackexchange.com/Posts.xml", "w") as f:
    f.write(head + "\n<posts>\n")
    f.write('<row Id="1" %s Body="%s"/>\n' % (q, "&lt;p&gt;" + "word " * (4 * 1024 * 1024)))
    f.write("</posts>\n")
os.makedirs(t + "/deep.stackexchange.com", exist_ok=True)
with open(t + "/deep.stackexchange.com/Posts.xml", "w") as f:
    f.write(head + "\n<posts>\n")
    f.write('<row Id="1" %s Body="%s"/>\n' % (q, "&lt;div&gt;" * 100000 + "deep" + "&lt;/div&gt;" * 100000))
    f.write("</posts>\n")
PY
expect_fail "a single 20 MB Body" "$db" 'huge\.stackexchange\.com/Posts\.xml:3:[0-9]+: ' -- ingest --db "$db" "$T/huge.stackexchange.com"
# A body too deep to sanitize leaves its post out (tests/e2e/ingest_robust.sh);
# here the only question, so the source ingests empty with one warning.
$FAQTORY ingest --db "$T/deep.db" "$T/deep.stackexchange.com" >/dev/null 2>"$T/err"
st=$?
check "100,000-deep nested HTML: the post is skipped with one warning" sh -c "[ $st -eq 0 ] &&
	grep -Eq '^faqtory: warning: .*deep\.stackexchange\.com/Posts\.xml:3: post 1: .*(deep|nest)' '$T/err' &&
	[ \$(sqlite3 '$T/deep.db' 'SELECT count(*) FROM posts') -eq 0 ]"

cp "$DATA/eosio.meta.stackexchange.com/eosio.meta.stackexchange.com.7z" "$T/corrupt.7z"
python3 - "$T/corrupt.7z" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
for i in range(2000, 2400):
    b[i] ^= 0x5a
open(p, "wb").write(b)
PY
expect_fail "corrupt .7z" "$db" 'corrupt\.7z(:[A-Za-z]+\.xml)?(:[0-9]+:[0-9]+)?: ' -- ingest --db "$db" "$T/corrupt.7z"
echo "just some text, not an archive" >"$T/notarchive.7z"
expect_fail "file that is not an archive" "$db" 'notarchive\.7z: .*(format|archive)' -- ingest --db "$db" "$T/notarchive.7z"
mkdir -p "$T/empty.stackexchange.com"
cp "$DATA/eosio.meta.stackexchange.com/Users.xml" "$T/empty.stackexchange.com/"
expect_fail "folder without Posts.xml" "$db" 'empty\.stackexchange\.com: no Posts\.xml' -- ingest --db "$db" "$T/empty.stackexchange.com"
expect_fail "source that does not exist" "$db" 'nowhere: No such file' -- ingest --db "$db" "$T/nowhere"
mkdir -p "$T/bare.stackexchange.com"
expect_fail "empty folder" "$db" 'bare\.stackexchange\.com: no \.xml, \.json or \.jsonl data' -- ingest --db "$db" "$T/bare.stackexchange.com"

d=$(printf '%s\n<posts>\n<row Id="1" %s Body="a"/>\n<row Id="1" %s Body="b"/>\n</posts>\n' "$head" "$q" "$q" | site twice)
expect_fail "repeated post Id" "$db" 'Posts\.xml:4: (thread|post) id 1 appears twice' -- ingest --db "$db" "$d"
d=$(printf '%s\n<users>\n</users>\n' "$head" | site wrongroot)
expect_fail "wrong root element" "$db" 'Posts\.xml:2: expected <posts>' -- ingest --db "$db" "$d"

# Store files that cannot be used.
echo "this is not a database, just text padded out to be long enough to look like one......" >"$T/notdb.db"
cp "$T/notdb.db" "$T/notdb.orig"
$FAQTORY ingest --db "$T/notdb.db" "$DATA/eosio.meta.stackexchange.com" >/dev/null 2>"$T/err"
st=$?
check "store that is not SQLite: exit 1" [ $st = 1 ]
check "store that is not SQLite: one line naming it" sh -c "[ \$(wc -l <'$T/err') = 1 ] && grep -q 'notdb.db: file is not a database' '$T/err'"
check "store that is not SQLite: untouched" cmp -s "$T/notdb.db" "$T/notdb.orig"
$FAQTORY stats --db "$T/notdb.db" >/dev/null 2>"$T/err"
check "stats on a non-database: exit 1" [ $? = 1 ]

# An unwritable store: as root, permissions do not bind, so drop to nobody.
mkdir -p "$T/ro"
cp "$db" "$T/ro/store.db"
chmod 755 "$T" "$T/ro"; chmod 444 "$T/ro/store.db"; chmod 555 "$T/ro"
run_as=""
[ "$(id -u)" = 0 ] && run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
before=$(digest "$T/ro/store.db")
$run_as $FAQTORY ingest --db "$T/ro/store.db" "$DATA/cardano.stackexchange.com" >/dev/null 2>"$T/err"
st=$?
check "unwritable store: exit 1" [ $st = 1 ]
check "unwritable store: one line naming it" sh -c "[ \$(wc -l <'$T/err') = 1 ] && grep -q 'store.db: .*\(readonly\|read-only\|unable to open\|permission\)' '$T/err'"
check "unwritable store: unchanged" [ "$before" = "$(digest "$T/ro/store.db")" ]
chmod 755 "$T/ro"

# Usage errors exit 2.
$FAQTORY ingest --db >/dev/null 2>&1; check "missing option value: exit 2" [ $? = 2 ]
$FAQTORY frobnicate >/dev/null 2>&1; check "unknown command: exit 2" [ $? = 2 ]
$FAQTORY ingest --bogus x >/dev/null 2>&1; check "unknown option: exit 2" [ $? = 2 ]
$FAQTORY ingest >/dev/null 2>&1; check "ingest without a source: exit 2" [ $? = 2 ]
$FAQTORY --help | grep -q '^  stats'; check "--help lists stats" [ $? = 0 ]
