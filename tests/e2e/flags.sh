#!/bin/sh
# The writers' flags on minimally edited real data (beer.stackexchange.com,
# copied at test time): a "does not work" phrase that is conditional,
# the answer's own author's, quoted (straight and typographic quotes,
# code) or negated raises no suspect_answer flag, a plain one does; a
# question closed by ClosedDate or by a PostHistory close event raises no
# unanswered flag, one closed and reopened still does.
. tests/e2e/lib.sh

SITE=beer.stackexchange.com
mkdir -p "$T/orig/$SITE"
for f in Posts Comments PostLinks PostHistory Users Tags; do
	cp "$DATA/$SITE/$f.xml" "$T/orig/$SITE/"
done
db=$T/t.db
$FAQTORY ingest --quiet --db "$db" "$T/orig/$SITE" 2>"$T/err" &&
	$FAQTORY index --quiet --db "$db" 2>>"$T/err"
check "index the real site" [ $? -eq 0 ]

# The picks, from the real store: accepted answers whose threads carry no
# suspect_answer flag (the added comments are then the only reason for
# one), each with its author and another user; and the first three
# unanswered questions.
sqlite3 "$db" "SELECT t.ext_id, p.ext_id, p.author_ext, (SELECT min(c.author_ext)
    FROM comments c WHERE c.source_id=p.source_id AND c.author_ext<>p.author_ext)
    FROM threads t JOIN posts p ON p.source_id=t.source_id
    AND p.thread_ext=t.ext_id AND p.kind=2 AND p.accepted=1
    WHERE p.author_ext IS NOT NULL AND NOT EXISTS(SELECT 1 FROM flags f
    WHERE f.thread_id=t.id AND f.kind='suspect_answer')
    ORDER BY t.ext_id LIMIT 5" >"$T/answers"
sqlite3 "$db" "SELECT t.ext_id FROM flags f JOIN threads t ON t.id=f.thread_id
    WHERE f.kind='unanswered' ORDER BY t.ext_id LIMIT 3" >"$T/open"
python3 - "$T/answers" "$T/open" "$T/picks.json" <<'PY'
import json, sys
a = [l.split("|") for l in open(sys.argv[1]).read().split()]
o = [int(l) for l in open(sys.argv[2]).read().split()]
assert len(a) == 5 and len(o) == 3, (a, o)
cases = ["conditional", "denial", "quoted", "negated", "control"]
json.dump({"answers": {c: [int(x[1]), int(x[2]), int(x[3])] for c, x in zip(cases, a)},
           "threads": {c: int(x[0]) for c, x in zip(cases, a)},
           "open": dict(zip(["closed_date", "closed_history", "reopened"], o))},
          open(sys.argv[3], "w"))
PY
check "pick the threads" [ $? -eq 0 ]
python3 tests/e2e/flags_edit.py "$T/orig/$SITE" "$T/edit/$SITE" \
    "$T/picks.json" 2>"$T/err"
check "edit the dump" [ $? -eq 0 ]
$FAQTORY ingest --quiet --db "$db" "$T/edit/$SITE" 2>"$T/err" &&
	$FAQTORY index --quiet --db "$db" 2>>"$T/err"
check "index the edited site" [ $? -eq 0 ]

# flagged KIND GROUP CASE: whether the picked thread has a KIND flag.
flagged() {
	fid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])' \
	    "$T/picks.json" "$2" "$3")
	fn=$(sqlite3 "$db" "SELECT count(*) FROM flags f JOIN threads t
	    ON t.id=f.thread_id WHERE f.kind='$1' AND t.ext_id=$fid")
	[ "$fn" -eq 1 ]
}
unflagged() { ! flagged "$@"; }
check "suspect_answer: a conditional phrase is no complaint" \
    unflagged suspect_answer threads conditional
check "suspect_answer: the answer's author denying it is no complaint" \
    unflagged suspect_answer threads denial
check "suspect_answer: quoted phrases (\"\", typographic, code) are no complaint" \
    unflagged suspect_answer threads quoted
check "suspect_answer: a negated phrase is no complaint" \
    unflagged suspect_answer threads negated
check "suspect_answer: a plain complaint still flags" \
    flagged suspect_answer threads control
check "unanswered: closed (ClosedDate) is never flagged" \
    unflagged unanswered open closed_date
check "unanswered: closed (PostHistory close event) is never flagged" \
    unflagged unanswered open closed_history
check "unanswered: closed and reopened is still flagged" \
    flagged unanswered open reopened
n=$(sqlite3 "$db" "SELECT count(*) FROM threads WHERE closed IS NOT NULL")
check "threads.closed: the dump's closed questions and the two edits ($n)" \
    [ "$n" -eq 78 ]
