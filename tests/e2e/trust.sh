#!/bin/sh
# Entries customers can trust (issue 12), end to end on the real beer
# dump with the selection `faqtory index` really makes (no SQL):
# - the site's most-viewed unaccepted question ("sell by" date, 13
#   answers, 25 votes against 7) is a community entry: its heading, the
#   reason line, suggestedAnswer first in the JSON-LD with the answer's
#   own URL, no acceptedAnswer, data-answer-kind/-id on its answer;
# - its short URL /q/beer/976/ leads to it; the writers' report asks to
#   confirm it; stats --json counts community answers;
# - every redirect page of a question is a human duplicate's (PostLinks
#   type 3 or a duplicate closure): nothing folds by machine;
# - the curation's `answer = ID` publishes the writers' choice, and
#   `answer = none` withdraws the entry while its URL stays (no 404).
. "$(dirname "$0")/lib.sh"

SITE=beer.stackexchange.com
mkdir -p "$T/cur"
cat >"$T/cur/faqtory.ini" <<INI
[site]
title = Trust
base_url = https://faq.example.com/
[build]
db = $T/site.db
out = $T/site
report = $T/report
curation = curation.ini
source = $DATA/$SITE
INI
: >"$T/cur/curation.ini"
build() {
	$FAQTORY build --quiet --config "$T/cur/faqtory.ini" 2>"$T/err"
	st=$?
	[ $st = 0 ] || head -3 "$T/err" >&2
	return $st
}
page() { ls "$T/site"/q/beer/976/*/index.html 2>/dev/null | head -1; }

check "build 1" build
P=$(page)
check "the sell-by question has an entry" [ -n "$P" ]
check "its answer is the community one, 981" grep -q 'data-answer-kind="community" data-answer-id="981"' "$P"
check "exactly one answer is marked as published" [ "$(grep -o 'data-answer-kind=' "$P" | wc -l)" = 1 ]
check "its heading says Community answer" grep -q '>Community answer</h2>' "$P"
check "its reason line gives the scores" grep -q 'class="why">Not marked accepted by the asker; highest score of 13 answers, 25 against 7' "$P"
check "JSON-LD: no acceptedAnswer, suggestedAnswer first is 981 with its URL" python3 - "$P" <<'EOF'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
d = json.loads(m.group(1))
e = d["mainEntity"]
assert "acceptedAnswer" not in e, e.keys()
s = e["suggestedAnswer"]
assert s[0]["url"] == "https://beer.stackexchange.com/a/981", s[0].get("url")
assert s[0].get("upvoteCount") == 25, s[0].get("upvoteCount")
assert e["answerCount"] == 13, e["answerCount"]
assert len(s) == 6, len(s)  # the published answer and at most 5 others
assert all(a["url"].startswith("https://beer.stackexchange.com/a/") for a in s)
EOF
check "the short URL /q/beer/976/ leads to the entry" grep -Eq 'http-equiv="refresh" content="0; url=(\.\./)+q/beer/976/is-beer-dangerous-to-drink-past-its-sell-by-date/"' "$T/site/q/beer/976/index.html"
check "the report asks the writers to confirm it" python3 - "$T/report/flags.html" <<'EOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
rows = [r for r in html.split("<li") if "[beer:976]" in r]
assert rows and "Community answer published, please confirm" in rows[0], rows[:1]
EOF
$FAQTORY stats --json --config "$T/cur/faqtory.ini" >"$T/stats.json" 2>"$T/err"
n=$(grep -l 'data-answer-kind="community"' "$T/site"/q/beer/*/*/index.html | wc -l)
check "stats --json counts the community answers ($n pages)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = [x for x in d["sources"] if x["name"] == "beer.stackexchange.com"][0]
assert s["community"] >= int(sys.argv[2]) > 100, (s["community"], sys.argv[2])
' "$T/stats.json" "$n"

# Folds: every question page that redirects is a human duplicate.
sqlite3 "$T/site.db" "SELECT from_ext FROM links WHERE kind='duplicate'" | sort -u >"$T/dups"
find "$T/site/q/beer" -mindepth 3 -name index.html | xargs grep -l 'http-equiv="refresh"' |
	sed 's|.*/q/beer/\([0-9]*\)/.*|\1|' | sort -u >"$T/redirects"
check "some questions redirect ($(wc -l <"$T/redirects"))" [ -s "$T/redirects" ]
check "only human duplicates redirect" [ -z "$(comm -23 "$T/redirects" "$T/dups")" ]

# The writers choose another answer, then none.
check "the author of 5198's accepted answer (5207, their only one) is a contributor" grep -q 'id="u-beer-5676"' "$T/site/contributors/index.html"
printf '[beer:976]\nanswer = 977\n[beer:5198]\nanswer = 5199\n' >"$T/cur/curation.ini"
check "build 2 (answer = 977, answer = 5199)" build
check "an accepted answer the writers replaced credits no contributor" [ "$(grep -c 'id="u-beer-5676"' "$T/site/contributors/index.html")" = 0 ]
P=$(page)
check "the writers' answer is published" grep -q 'data-answer-kind="community" data-answer-id="977"' "$P"
check "with the writers' reason" grep -q "class=\"why\">Chosen by this site&#39;s writers\|class=\"why\">Chosen by this site's writers" "$P"
printf '[beer:976]\nanswer = none\n' >"$T/cur/curation.ini"
check "build 3 (answer = none)" build
P=$(page)
check "the URL stays" [ -n "$P" ]
check "as a no-entry page" grep -q 'data-page="noentry"' "$P"
check "that publishes no answer" [ "$(grep -c 'data-answer-kind=' "$P")" = 0 ]
check "and is not indexed" grep -q 'name="robots" content="noindex' "$P"

