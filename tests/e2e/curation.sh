#!/bin/sh
# The curation loop through `faqtory build` and the built site: pin,
# hide, merge, retitle, a writer's article (Markdown, sanitized, credited),
# dismiss a flag (and its return when it worsens past the margin), every
# invalid line stops the build with FILE:LINE and publishes nothing; the
# writers' report (flags, SVG chart, issue pages, no external requests).
# Data: eosio.meta.stackexchange.com, one question's views edited.
. "$(dirname "$0")/lib.sh"

SITE=eosio.meta.stackexchange.com
E=eosio.meta
mkdir -p "$T/dump/$SITE" "$T/cur/articles"
for f in Posts Comments PostLinks Users Tags; do
	cp "$DATA/$SITE/$f.xml" "$T/dump/$SITE/"
done
# views ID N: question ID viewed N times (a minimal edit of real data).
views() {
	python3 - "$T/dump/$SITE/Posts.xml" "$1" "$2" <<'EOF'
import re, sys
p, qid, n = sys.argv[1:4]
s = open(p, encoding="utf-8-sig").read()
s = re.sub(r'(<row Id="%s" [^>]*?ViewCount=")\d+' % qid, r"\g<1>" + n, s)
open(p, "w", encoding="utf-8").write(s)
EOF
}
views 1 5000

cat >"$T/cur/faqtory.ini" <<INI
[site]
title = Curated
base_url = https://faq.example.com/
[build]
db = $T/site.db
out = $T/site
report = $T/report
curation = curation.ini
source = $T/dump/$SITE
INI
cat >"$T/cur/articles/outdated.md" <<'MD'
# Outdated questions

Edit the question, then **flag** it for a moderator. <script>alert(1)</script>

[More](javascript:alert(2)) and [the tour](https://eosio.stackexchange.com/tour).
MD
cat >"$T/cur/curation.ini" <<'INI'
# writers' curation
[eosio.meta:36]
pin = yes

[eosio.meta:47]
hide = yes

[eosio.meta:10]
merge = eosio.meta:14

[eosio:5]
retitle = How do I blacklist a tag?

[45]
article = articles/outdated.md
author = Jane Writer
INI

$FAQTORY build --quiet --config "$T/cur/faqtory.ini" 2>"$T/err"
check "build with a curation file" [ $? -eq 0 ]
S=$T/site
page() { ls -d "$S"/q/$E/$1/*/ 2>/dev/null | head -1; }

# pin
check "pin: the pinned entry is listed first on the home page" python3 - "$S/index.html" <<'EOF'
import re, sys
h = open(sys.argv[1]).read()
m = re.search(r'<section class="pinned".*?</section>', h, re.S)
assert m and "/q/eosio.meta/36/" in m.group(0), "no pinned section"
assert h.index('class="pinned"') < h.index('id="rec"')
EOF
# hide
check "hide: the hidden entry is not published" [ -z "$(page 47)" ]
check "hide: nor linked from the sitemap" sh -c "! grep -q '/q/$E/47/' '$S/sitemap.xml'"
# merge
p10=$(page 10)
check "merge: the merged entry is a redirect to the other" \
    grep -q "q/$E/14/" "$p10/index.html"
check "merge: the merged entry has no answer of its own" \
    sh -c "! grep -q 'class=\"post answer' '$p10/index.html'"
check "merge: the target lists it as also asked" \
    grep -q "Easy vs. expert questions" "$(page 14)/index.html"
# retitle
p5=$(page 5)
check "retitle: the new title is the page's heading" \
    grep -q '<h1>How do I blacklist a tag?</h1>' "$p5/index.html"
check "retitle: the URL (slug) is unchanged" [ "$(basename "$p5")" = is-there-a-way-to-blacklist-certain-tags ]
# article
p45=$(page 45)/index.html
check "article: the writer's article replaces the accepted answer" \
    grep -q 'Edit the question, then <strong>flag</strong>' "$p45"
check "article: credited to its writer" grep -q 'Written by <span class="author">Jane Writer</span>' "$p45"
check "article: sanitized (no script, no javascript: link)" \
    sh -c "! grep -qiE '<script>alert|javascript:' '$p45'"
check "article: the community's accepted answer is kept among the others" \
    grep -q 'class="others"' "$p45"
check "article: JSON-LD credits the writer" grep -q '"name":"Jane Writer"' "$p45"

# The report: flags, inline SVG, issue pages, nothing external.
R=$T/report
check "report: published as a release of its own" [ -L "$R" ] && [ -f "$R/index.html" ]
check "report: the unanswered flag with its numbers" \
    grep -q '5000 views' "$R/flags.html"
check "report: a page per recurring issue with a chart" \
    sh -c "ls '$R'/issue/*/index.html >/dev/null && grep -q 'role=\"img\"' \$(ls '$R'/issue/*/index.html | head -1)"
check "report: no script, no external resource" \
    sh -c "! grep -rqiE '<script|src=\"https?:|href=\"https?://[^\"]*\\.css' '$R/'"
check "report: links the original thread" grep -q 'href="https://eosio.meta.stackexchange.com/q' "$R/flags.html"

# dismiss: the unanswered flag of question 1 (15 is closed), at its current score.
score=$($FAQTORY trends --db "$T/site.db" --json | python3 -c '
import json,sys; d=json.load(sys.stdin)
print([f["score"] for f in d["flags"] if f["thread"]["id"]==1 and f["kind"]=="unanswered"][0])')
printf '\n[eosio.meta:1]\ndismiss = unanswered %s\n' "$score" >>"$T/cur/curation.ini"
$FAQTORY build --quiet --config "$T/cur/faqtory.ini" 2>"$T/err"
n=$($FAQTORY trends --db "$T/site.db" --json | python3 -c '
import json,sys; d=json.load(sys.stdin); print(sum(f["thread"]["id"]==1 for f in d["flags"]), d["dismissed"])')
check "dismiss: the flag is left out of trends ($n)" [ "$n" = "0 1" ]
check "dismiss: the report shows it as dismissed" grep -q 'unanswered</span> (dismissed)' "$R/flags.html"
views 1 500000
$FAQTORY build --quiet --config "$T/cur/faqtory.ini" 2>"$T/err"
n=$($FAQTORY trends --db "$T/site.db" --json | python3 -c '
import json,sys; d=json.load(sys.stdin); print(sum(f["thread"]["id"]==1 for f in d["flags"]), d["dismissed"])')
check "dismiss: back once it worsens past 1.5 x ($n)" [ "$n" = "1 0" ]

# Invalid lines: exit 1, "curation.ini:LINE: what", nothing published.
bad() { # NAME LINE-PATTERN TEXT
	cp "$T/cur/curation.ini" "$T/cur/good.ini"
	printf '%s\n' "$3" >>"$T/cur/curation.ini"
	before=$(readlink "$S"); rbefore=$(readlink "$R")
	$FAQTORY build --quiet --config "$T/cur/faqtory.ini" >/dev/null 2>"$T/err"
	st=$?
	if [ $st -ne 1 ]; then notok "$1" "exit $st: $(cat "$T/err")"
	elif ! grep -Eq "^faqtory: .*curation\.ini:[0-9]+: .*$2" "$T/err"; then notok "$1" "$(cat "$T/err")"
	elif [ "$(wc -l <"$T/err")" -ne 1 ]; then notok "$1" "$(cat "$T/err")"
	elif [ "$(readlink "$S")" != "$before" ] || [ "$(readlink "$R")" != "$rbefore" ]; then notok "$1" "published"
	else ok "$1"; fi
	mv "$T/cur/good.ini" "$T/cur/curation.ini"
}
bad "invalid: unknown question" "no question 'eosio.meta:99999'" '[eosio.meta:99999]'
bad "invalid: unknown key" "unknown key 'pim'" 'pim = yes'
bad "invalid: bad yes/no" "expected yes or no" 'pin = maybe'
bad "invalid: merge into itself" "cannot merge into itself" 'merge = eosio.meta:1'
bad "invalid: unknown flag kind" "unknown flag kind 'hot'" 'dismiss = hot 3'
bad "invalid: article without its writer" "needs 'author" "$(printf '[eosio.meta:14]\narticle = articles/outdated.md')"
bad "invalid: missing article file" "article 'nope.md'" "$(printf '[eosio.meta:14]\narticle = nope.md\nauthor = X')"
bad "invalid: a line that is not key = value" "expected 'key = value'" 'pin yes'
bad "invalid: a repeated key" "given twice" 'dismiss = gap 1
hide = yes
hide = yes'

# Removing the curation file's actions undoes them at the next build.
printf '# nothing\n' >"$T/cur/curation.ini"
$FAQTORY build --quiet --config "$T/cur/faqtory.ini" 2>"$T/err"
check "an emptied curation file publishes the hidden entry again" [ -n "$(page 47)" ]
