#!/bin/sh
# The writers' report links a public entry only where the site publishes
# one: every link of the report to the site resolves to a file of the
# published site, a "public entry" to an entry page (report_check.py),
# for `build` and for `render`, also for flagged questions the site keeps
# off: hidden by the curation, out of the [scope] tags, merged into
# another.  Data: the real beer dump, unedited.
. "$(dirname "$0")/lib.sh"

SITE=beer.stackexchange.com
RCHECK="python3 $(dirname "$0")/report_check.py"
BASE=https://faq.example.com/
# Flagged questions (suspect_answer, each with an accepted answer): 8
# hidden, 181 tagged trappist (out of scope), 28 merged into 605.
cat >"$T/faqtory.ini" <<INI
[site]
title = Report links
base_url = $BASE
content_license = CC BY-SA 4.0
[build]
db = $T/site.db
out = $T/site
report = $T/report
curation = curation.ini
source = $DATA/$SITE
[scope]
exclude_tags = trappist
INI
cat >"$T/curation.ini" <<'INI'
[beer:8]
hide = yes

[beer:28]
merge = beer:605
INI
if $FAQTORY build --quiet --config "$T/faqtory.ini" 2>"$T/err"; then
	ok "build with a hidden, an out-of-scope and a merged flagged question"
else
	notok "build" "$(head -3 "$T/err")"
fi
R=$T/report/flags.html
row() { # the report's flags of question $1, one per line
	grep "<span class=\"mut\">beer:$1</span>" "$R" | grep '^<li id="f-' >"$T/row$1"
	[ -s "$T/row$1" ]
}
for q in 8 181 28; do
	check "report: beer:$q is flagged" row $q
	check "  without a public entry" sh -c "! grep -q 'class=\"entry\"' '$T/row$q'"
done
check "report: a question of the site keeps its public entry" \
    grep -q "href=\"${BASE}q/beer/4588/[^\"]*/\" class=\"entry\">" "$R"
check "site: no entry for the hidden one" sh -c "! ls -d '$T'/site/q/beer/8/*/ 2>/dev/null"
check "site: a no-entry page at most for the out-of-scope one" sh -c \
    "! grep -lq 'data-answer-kind' '$T'/site/q/beer/181/*/index.html 2>/dev/null"
if $RCHECK "$T/report" "$T/site" "$BASE" >"$T/chk" 2>&1; then
	ok "build: every report link to the site resolves: $(cat "$T/chk")"
else
	notok "build: every report link to the site resolves" "$(head -5 "$T/chk")"
fi

# render: the site in place and the report, from the same store.
if $FAQTORY render --quiet --config "$T/faqtory.ini" --out "$T/site2" \
    --report "$T/report2" 2>"$T/err"; then
	ok "render with the report"
else
	notok "render with the report" "$(head -3 "$T/err")"
fi
if $RCHECK "$T/report2" "$T/site2" "$BASE" >"$T/chk" 2>&1; then
	ok "render: every report link to the site resolves: $(cat "$T/chk")"
else
	notok "render: every report link to the site resolves" "$(head -5 "$T/chk")"
fi
check "render: the same report as build" diff -r "$T/report/" "$T/report2/"

# The report's theme: site-template/report/, overridable file by file
# from --template DIR/report/ like the site's templates.
mkdir -p "$T/over/report" "$T/bad/report"
printf 'body{color:teal}\n' >"$T/over/report/report.css"
if $FAQTORY render --quiet --config "$T/faqtory.ini" --out "$T/site3" \
    --report "$T/report3" --template "$T/over" 2>"$T/err"; then
	ok "render with an override of the report's stylesheet"
else
	notok "render with an override of the report's stylesheet" "$(head -3 "$T/err")"
fi
check "  the report's stylesheet is the override's" cmp -s "$T/over/report/report.css" "$T/report3/report.css"
check "  its pages are the theme's" cmp -s "$T/report2/index.html" "$T/report3/index.html"
check "  the site does not publish it" test ! -e "$T/site3/assets/report.css"
printf '{{#flags}}\n' >"$T/bad/report/brief.mustache"
before=$(cat "$T/site2/.faqtory-manifest" | sha256sum)
$FAQTORY render --quiet --config "$T/faqtory.ini" --out "$T/site2" \
    --report "$T/report2" --template "$T/bad" 2>"$T/err"
st=$?
check "a broken report template fails the render (exit 1)" [ $st -eq 1 ]
check "  with one line naming the file" sh -c \
    "[ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'bad/report/brief.mustache' '$T/err'"
check "  and leaves the site as it was" [ "$(cat "$T/site2/.faqtory-manifest" | sha256sum)" = "$before" ]
check "  and the report" cmp -s "$T/report/index.html" "$T/report2/index.html"
