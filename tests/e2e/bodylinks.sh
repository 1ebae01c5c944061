#!/bin/sh
# A link in a post's body to another entry of the site follows that
# entry across rebuilds, even where the source records no link between
# the two threads (Discourse never does; here a beer copy whose
# PostLinks row for 269 -> 121 is removed): when 121 is hidden, 269's page
# is written again and no longer points at 121's folder, which is gone.
. "$(dirname "$0")/lib.sh"

SITE=beer.stackexchange.com
mkdir -p "$T/dump/$SITE" "$T/cur"
for f in Posts Comments PostLinks Users Tags; do
	cp "$DATA/$SITE/$f.xml" "$T/dump/$SITE/"
done
chmod u+w "$T/dump/$SITE/"*.xml
python3 - "$T/dump/$SITE/PostLinks.xml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
pat = r'\s*<row [^>]*PostId="(269|121)" [^>]*RelatedPostId="(121|269)"[^>]*/>'
s, n = re.subn(pat, "", s)
assert n >= 1, n
open(p, "w", encoding="utf-8").write(s)
PY
cat >"$T/cur/faqtory.ini" <<INI
[site]
title = Links
base_url = https://faq.example.com/
[build]
db = $T/site.db
out = $T/site
curation = curation.ini
source = $T/dump/$SITE
INI
: >"$T/cur/curation.ini"
build() { $FAQTORY build --quiet --config "$T/cur/faqtory.ini" 2>"$T/err" || { head -3 "$T/err" >&2; return 1; }; }
page() { ls "$T/site"/q/beer/$1/*/index.html 2>/dev/null | head -1; }

check "build 1" build
check "no link row joins 269 and 121" [ "$(sqlite3 "$T/site.db" "SELECT count(*) FROM links WHERE from_ext IN (269, 121) AND to_ext IN (269, 121)")" = 0 ]
check "269's body links entry 121 locally" grep -q 'href="[./]*q/beer/121/' "$(page 269)"
printf '[beer:121]\nhide = yes\n' >"$T/cur/curation.ini"
check "build 2 (121 hidden)" build
check "121's folder is gone" [ -z "$(ls -d "$T/site"/q/beer/121/*/ 2>/dev/null)" ]
check "269 no longer links its folder" [ "$(grep -c 'href="[./]*q/beer/121/' "$(page 269)")" = 0 ]
