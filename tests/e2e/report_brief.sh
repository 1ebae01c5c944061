#!/bin/sh
# The weekly brief (docs/trends.md "The report"): on the real beer dump,
# minimally edited (tests/e2e/brief_edit.py: 4 questions asked in the
# final week for one tag not asked about for 13 weeks, each with an
# accepted answer by one of 2 existing users), that tag tops "rising
# categories" with its new words, and the 2 users are thanked; on the
# unedited dump it does not.  brief.html is the same text with its
# stylesheet inlined, under 100 KB; every link resolves; 12 week pages,
# category and issue pages, CSV, the Atom feed; the same bytes twice;
# the Indonesian strings with [site] language = id.
. "$(dirname "$0")/lib.sh"

SITE=beer.stackexchange.com
E=$(dirname "$0")
BC="python3 $E/brief_check.py"
BASE=https://faq.example.com/
python3 "$E/brief_edit.py" "$DATA/$SITE" "$T/src/$SITE" "$T/picks.json"
TAG=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tag"])' "$T/picks.json")
config() { # name source [lang]
	cat >"$T/$1.ini" <<INI
[site]
title = Brief
base_url = $BASE
content_license = CC BY-SA 4.0
${3:+language = $3}
[build]
db = $T/$1.db
out = $T/$1
report = $T/$1.report
source = $2
INI
}
build() { # name
	if $FAQTORY build --quiet --config "$T/$1.ini" 2>"$T/err"; then ok "build $1"
	else notok "build $1" "$(head -3 "$T/err")"; fi
}
config plain "$DATA/$SITE"
config edited "$T/src/$SITE"
build plain
build edited

R=$T/edited.report
top=$($BC "$R" rising-top)
check "edited: '$TAG' tops the rising categories ($top)" \
    [ "$top" = "$TAG tag/beer/$TAG/" ]
words=$($BC "$R" rising-words)
check "edited: its new words are listed ($words)" sh -c \
    "echo ' $words ' | grep -q ' zymurgol ' && echo '$words' | grep -q '7\.3\.'"
$BC "$R" thanked >"$T/thanked"
python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["users"]))' \
    "$T/picks.json" >"$T/users"
check "edited: the authors of the edited answers are thanked ($(tr '\n' ',' <"$T/users"))" \
    sh -c "[ -s '$T/users' ] && ! grep -vxFf '$T/thanked' '$T/users'"
ptop=$($BC "$T/plain.report" rising-top 2>/dev/null)
check "unedited: '$TAG' is not the top ($ptop)" sh -c "[ \"\${1%% *}\" != '$TAG' ]" - "$ptop"
check "unedited: the users are not thanked this week" sh -c \
    "! $BC '$T/plain.report' thanked | grep -qxFf '$T/users'"

# The category page of the tag: its words, its chart, its CSV.
C=$R/tag/beer/$TAG
check "category page with the new words" grep -q '<code>zymurgol</code>' "$C/index.html"
check "  a 52-week chart with axis labels" sh -c \
    "grep -q '<svg class=\"chart\" role=\"img\"' '$C/index.html' && grep -q 'class=\"lbl\"' '$C/index.html'"
check "  weeks.csv ends with the week of the 4 questions" sh -c \
    "tail -1 '$C/weeks.csv' | grep -q ',4,4'"

# The mailable brief: same text, styles inline, nothing to fetch, < 100 KB.
size=$(wc -c <"$R/brief.html")
check "brief.html under 100 KB ($size bytes)" [ "$size" -lt 102400 ]
check "  its stylesheet inline, no link to fetch, no script" sh -c \
    "grep -q '<style>' '$R/brief.html' && ! grep -qE '<link|<script|src=' '$R/brief.html'"
$BC "$R" text "$R/index.html" >"$T/text1"
$BC "$R" text "$R/brief.html" >"$T/text2"
check "  the same text as index.html ($(wc -c <"$T/text1") bytes)" sh -c \
    "[ \$(wc -c <'$T/text1') -gt 1000 ] && cmp -s '$T/text1' '$T/text2'"

# Pages and files.
n=$(ls -d "$R"/week/*/ | wc -l)
check "12 week pages with the brief's own ($n + index.html)" [ "$n" -eq 11 ]
check "CSV beside the brief" sh -c \
    "for f in intake categories contributors; do head -1 '$R/'\$f.csv | grep -q , || exit 1; done"
check "the intake CSV counts the 4 questions" sh -c \
    "grep -q '^questions,[4-9],' '$R/intake.csv'"
check "flags.xml is Atom with unique ids" python3 -c '
import sys, xml.etree.ElementTree as X
A = "{http://www.w3.org/2005/Atom}"
f = X.parse(sys.argv[1]).getroot()
ids = [e.find(A + "id").text for e in f.findall(A + "entry")]
assert f.tag == A + "feed" and ids and len(ids) == len(set(ids)), ids[:3]
' "$R/flags.xml"
if python3 "$E/report_check.py" "$R" "$T/edited" "$BASE" >"$T/chk" 2>&1; then
	ok "every link resolves: $(cat "$T/chk")"
else
	notok "every link resolves" "$(head -5 "$T/chk")"
fi

# Deterministic: a second report of the same store is byte-identical.
$FAQTORY render --quiet --config "$T/edited.ini" --out "$T/again" --report "$T/again.report" 2>"$T/err"
check "the same bytes twice" diff -r "$R/" "$T/again.report/"

# Indonesian strings.
config id "$T/src/$SITE" id
build id
check "language = id: the brief in Indonesian" grep -q '<h1>Ringkasan mingguan</h1>' "$T/id.report/index.html"
check "  and its pages" grep -q 'Kata baru' "$T/id.report/tag/beer/$TAG/index.html"

# A thread dated 1970 and one dated 9999: every category's weeks.csv
# stops at ten years (520 weeks and its header), not 417,000 rows each.
python3 - >"$T/wk.jsonl" <<'PY'
import json
print(json.dumps({"id": 1, "title": "old question", "tags": ["t%02d" % i for i in range(32)],
    "question": {"body": "q", "date": "1970-01-02T00:00:00Z"},
    "answers": [{"body": "a", "accepted": True, "date": "1970-01-03T00:00:00Z"}]}))
print(json.dumps({"id": 2, "title": "future question", "tags": ["x"],
    "question": {"body": "q", "date": "9999-12-31T00:00:00Z"},
    "answers": [{"body": "a", "accepted": True, "date": "9999-12-31T00:00:00Z"}]}))
PY
config wk "$T/wk.jsonl"
build wk
longest=$(find "$T/wk.report/" -name weeks.csv -path '*/tag/*' -exec wc -l {} + | grep -v ' total$' | sort -n | tail -1 | awk '{print $1}')
check "weeks.csv over a span of 8,000 years: at most 521 lines ($longest)" [ "${longest:-0}" -ge 100 -a "${longest:-0}" -le 521 ]
