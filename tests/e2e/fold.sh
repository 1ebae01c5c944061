#!/bin/sh
# Folding only true duplicates, and URLs that survive rebuilds, through
# `faqtory build` on the real beer dump (docs/site.md):
# - a human duplicate (PostLinks type 3) is a redirect to its original;
# - a machine near-duplicate never redirects: a pair with entries lists
#   each other as related (not "also asked as"), and the report offers
#   the merge with its similarity and the curation lines;
# - a curation merge added, removed and added again: the thread's URL is
#   a redirect, then its entry, then a redirect, and never missing;
# - no thread URL of one release is missing from the next, except a
#   hidden thread's; a thread out of the tag scope keeps a "no entry"
#   page at its URL; a retitled question's old slug redirects.
. "$(dirname "$0")/lib.sh"

SITE=beer.stackexchange.com
mkdir -p "$T/dump/$SITE" "$T/cur"
for f in Posts Comments PostLinks PostHistory Users Tags Votes; do
	cp "$DATA/$SITE/$f.xml" "$T/dump/$SITE/"
done
chmod u+w "$T/dump/$SITE/"*.xml
config() { # extra lines for [scope]
	cat >"$T/cur/faqtory.ini" <<INI
[site]
title = Folds
base_url = https://faq.example.com/
[build]
db = $T/site.db
out = $T/site
report = $T/report
curation = curation.ini
source = $T/dump/$SITE
[scope]
$1
INI
}
curation() { printf '# writers\n%s\n' "$1" >"$T/cur/curation.ini"; }
build() { # N: build, then list the release's thread pages as list.N
	if $FAQTORY build --config "$T/cur/faqtory.ini" >"$T/b$1.out" \
	    2>"$T/b$1.err"; then ok "build $1"
	else notok "build $1" "$(tail -3 "$T/b$1.err")"; fi
	(cd "$T/site" && find q -name index.html | LC_ALL=C sort) >"$T/list.$1"
}
# The page of thread ID (its folder under the current slug, or any).
page() { ls "$T"/site/q/beer/"$1"/*/index.html 2>/dev/null | head -1; }
redirects_to() { # ID TARGET: thread ID's page is a redirect to TARGET's
	p=$(page "$1")
	[ -n "$p" ] && grep -q "http-equiv=\"refresh\" content=\"0; url=[./]*q/beer/$2/" "$p"
}
is_entry() { # ID: thread ID's page is its entry
	p=$(page "$1")
	[ -n "$p" ] && ! grep -q 'http-equiv="refresh"' "$p" &&
	    ! grep -q 'data-page="noentry"' "$p"
}
section() { # ID CLASS: the <section class=CLASS> of thread ID's page
	sed -n "/<section class=\"$2\"/,/<\/section>/p" "$(page "$1")"
}
lists() { # ID CLASS OTHER: ID's section CLASS links OTHER's entry
	section "$1" "$2" | grep -q "href=\"[./]*q/beer/$3/"
}
kept() { # A B [EXCEPT]: every thread page of list.A is in list.B
	LC_ALL=C comm -23 "$T/list.$1" "$T/list.$2" |
	    grep -v "^q/beer/${3:-none}/" >"$T/gone" || true
	[ ! -s "$T/gone" ] || { head -3 "$T/gone"; false; }
}

# 1: 4780 merged into 602 by a writer.
config ""
curation "[beer:4780]
merge = beer:602"
build 1
U=$(page 4780)
check "human duplicate 479 redirects to 16" redirects_to 479 16
check "machine near-duplicate 7262 (of 6596, 0.58) is no redirect" \
    sh -c '! grep -qs "http-equiv=\"refresh\"" '"$T"'/site/q/beer/7262/*/index.html'
check "near-duplicate 715 is an entry" is_entry 715
check "near-duplicate 181 is an entry" is_entry 181
check "715 lists 181 as related" lists 715 related 181
check "181 lists 715 as related" lists 181 related 715
check "181 does not list 715 as also asked" sh -c \
    "! sed -n '/<section class=\"also\"/,/<\/section>/p' $(page 181) | grep -q q/beer/715/"
R="$T/report/flags.html"
check "report: merge suggestion 7262 -> 6596 with its similarity" sh -c \
    "grep '<a href=\"https://beer.stackexchange.com/questions/7262\"' '$R' | grep -q '(similarity 0.58)'"
check "report: its curation lines" sh -c \
    "grep -A1 -F '[beer:7262]' '$R' | grep -qx 'merge = beer:6596</code></pre></li>'"
check "report: no suggestion for a human duplicate" sh -c \
    "! grep -qF '[beer:479]' '$R'"
check "merge: 4780 redirects to 602" redirects_to 4780 602
also_4780() { section 602 also | grep -q 'Why are dubbels generally dark'; }
check "merge: 602 lists 4780 as also asked" also_4780

# 2: the merge removed: the entry is back at the same URL.
curation ""
build 2
check "unmerged: 4780's entry at its URL" sh -c "[ '$(page 4780)' = '$U' ]"
check "unmerged: 4780 is an entry" is_entry 4780
check "no thread URL of build 1 missing in build 2" kept 1 2

# 3: merged again: a redirect at the same URL.
curation "[beer:4780]
merge = beer:602"
build 3
check "merged again: the same URL" sh -c "[ '$(page 4780)' = '$U' ]"
check "merged again: 4780 redirects to 602" redirects_to 4780 602
check "no thread URL of build 2 missing in build 3" kept 2 3

# 4: 181 hidden, the tag 'history' (715's) out of scope, 602 retitled.
curation "[beer:181]
hide = yes"
config "exclude_tags = history"
OLD602=$(page 602)
python3 - "$T/dump/$SITE/Posts.xml" <<'EOF'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
s = re.sub(r'(<row Id="602" [^>]*?Title=")[^"]*', r"\g<1>Dubbel or tripel: what differs?", s)
open(p, "w", encoding="utf-8").write(s)
EOF
build 4
N=$T/site/q/beer/715
check "out of scope: 715 keeps a page at its URL" test -f "$N/what-is-the-difference-between-trappist-beer-and-abbey-beer/index.html"
check "out of scope: it is a no-entry page, not indexed" sh -c \
    "grep -q 'data-page=\"noentry\"' $N/*/index.html && grep -q 'content=\"noindex\"' $N/*/index.html"
check "out of scope: it links the original thread" \
    grep -q 'href="https://beer.stackexchange.com/questions/715"' "$N/what-is-the-difference-between-trappist-beer-and-abbey-beer/index.html"
check "out of scope: its short URL leads to it" grep -q \
    'url=../../../q/beer/715/what-is-the-difference-between-trappist-beer-and-abbey-beer/' "$N/index.html"
check "out of scope: not in the sitemap" sh -c "! grep -q 'q/beer/715/' $T/site/sitemap.xml"
check "hidden: 181's pages are gone" sh -c "[ ! -e $T/site/q/beer/181 ]"
check "no thread URL of build 3 missing in build 4 but the hidden one's" kept 3 4 181
check "retitled: 602's entry at its new slug" test -f "$T/site/q/beer/602/dubbel-or-tripel-what-differs/index.html"
check "retitled: the old slug redirects to it" grep -q \
    'url=../../../../q/beer/602/dubbel-or-tripel-what-differs/' "$T/site/${OLD602#"$T/site/"}"

check "the site with no-entry pages and old slugs passes site_check" sh -c \
    "python3 '$(dirname "$0")/site_check.py' '$T/site/' >'$T/chk' 2>&1"

# 5: nothing changed: the kept URLs stay, unchanged pages are kept.
build 5
check "no thread URL of build 4 missing in build 5" kept 4 5
check "the old slug's redirect stays" test -f "$T/site/${OLD602#"$T/site/"}"
