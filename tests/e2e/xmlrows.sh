#!/bin/sh
# xmlrows: a Stack Exchange file cut into pieces and parsed on several
# threads (ingest/xmlrows.c; pieces of 100 KB here, so beer's Posts.xml
# is some forty of them) gives the store a sequential parse gives, for
# any --jobs; where a cut falls inside a comment the rows are the same,
# and a malformed file gives the same error line either way.
. "$(dirname "$0")/lib.sh"
BEER=$DATA/beer.stackexchange.com
export FAQTORY_XML_PIECE=100000

dump() { sqlite3 "$1" .dump | sha256sum | cut -c1-16; }
for j in 1 2 7; do
	FAQTORY_TIMING=1 $FAQTORY ingest --quiet --jobs $j --db "$T/j$j.db" \
	    "$BEER" 2>"$T/err$j" ||
		notok "ingest --jobs $j" "$(head -c 300 "$T/err$j")"
done
check "--jobs 7: Posts.xml is parsed in pieces on 6 threads ($(grep -o 'Posts.xml: [0-9]* pieces' "$T/err7"))" \
	sh -c "grep -Eq '^ingest: Posts\.xml: ([2-9][0-9]|[0-9]{3,}) pieces on 6 threads' '$T/err7'"
check "--jobs 1: no pieces" sh -c "! grep -q pieces '$T/err1'"
check "beer in pieces: --jobs 1, 2 and 7 give the same store" \
	sh -c "[ '$(dump "$T/j1.db")' = '$(dump "$T/j2.db")' ] && [ '$(dump "$T/j1.db")' = '$(dump "$T/j7.db")' ]"

# FILE KIND: a copy of beer's Posts.xml changed by python ($2).
variant() {
	mkdir -p "$T/$1/beer"
	python3 - "$BEER/Posts.xml" "$T/$1/beer/Posts.xml" "$2" <<'PY'
import sys
src, dst, kind = sys.argv[1:]
rows = open(src, encoding="utf-8-sig").read().split("\n")
n = len(rows)
if kind == "comment":    # rows 1000-2000 commented out, across cuts
    rows = rows[:1000] + ["<!-- set aside"] + \
        [r for r in rows[1000:2000] if "--" not in r] + ["-->"] + rows[2000:]
elif kind == "malformed":  # a broken row 80% of the way in
    i = n * 4 // 5
    rows[i] = rows[i].replace("<row ", "<row <", 1)
    print(i + 1, file=open(dst + ".line", "w"))
elif kind == "decl":     # a declaration libxml2 refuses
    rows[0] = '<?xml version="1.0" standalone="maybe"?>'
elif kind == "xmlid":    # one xml:id twice, in pieces far apart
    for i in (5, n * 3 // 4):
        rows[i] = rows[i].replace("<row ", '<row xml:id="a" ', 1)
elif kind == "extra":    # a row after the root's end tag
    rows.append('<row Id="999999" PostTypeId="1" Title="x" Body="y" />')
text = "\n".join(rows)
if kind == "truncated":
    text = text[: len(text) * 3 // 4]
open(dst, "w", encoding="utf-8").write(text)
PY
}
for v in comment malformed truncated extra decl xmlid; do variant $v $v; done

for j in 1 2; do
	$FAQTORY ingest --quiet --jobs $j --db "$T/c$j.db" "$T/comment/beer" 2>"$T/err"
done
check "a comment across pieces: the same rows whatever --jobs" \
	[ "$(dump "$T/c1.db")" = "$(dump "$T/c2.db")" ]
check "a comment across pieces: its rows are left out" \
	[ "$(sqlite3 "$T/c2.db" "SELECT count(*) FROM threads")" -lt "$(sqlite3 "$T/j1.db" "SELECT count(*) FROM threads")" ]

line=$(cat "$T/malformed/beer/Posts.xml.line")
for v in malformed truncated extra decl xmlid; do
	for j in 1 2; do
		$FAQTORY ingest --quiet --jobs $j --db "$T/$v$j.db" "$T/$v/beer" \
		    >/dev/null 2>"$T/$v$j.err"
		echo $? >>"$T/$v$j.err"
	done
	check "$v: one error line, exit 1, the same with and without pieces ($(head -1 "$T/${v}1.err" | sed 's|.*/beer/||'))" \
		sh -c "[ \$(wc -l <'$T/${v}1.err') -eq 2 ] && tail -1 '$T/${v}1.err' | grep -qx 1 && cmp -s '$T/${v}1.err' '$T/${v}2.err'"
done
check "malformed: the error names the broken row's line ($line)" \
	grep -q "Posts\.xml:$line:[0-9]*: " "$T/malformed2.err"
