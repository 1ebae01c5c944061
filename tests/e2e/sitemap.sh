#!/bin/sh
# sitemap: one sitemap.xml while the URLs fit the sitemaps.org limit
# (50,000 a file); past it, sitemap.xml is an index of sitemap/<k>.xml
# holding the same URLs in the same order, none over the limit
# (FAQTORY_SITEMAP_URLS lowers it here), all well-formed; a tree that
# shrinks back loses the parts.
. "$(dirname "$0")/lib.sh"
db=$T/beer.db
$FAQTORY ingest --quiet --db "$db" examples/beer.stackexchange.com.7z 2>"$T/err" &&
	$FAQTORY index --quiet --db "$db" 2>>"$T/err"
check "beer ingested and indexed" test -s "$db"
locs() { grep -o '<loc>[^<]*</loc>' "$@"; }

$FAQTORY render --quiet --db "$db" --out "$T/one" 2>"$T/err"
nurl=$(locs "$T/one/sitemap.xml" | wc -l)
check "one file: a urlset of $nurl URLs" sh -c "grep -q '<urlset ' '$T/one/sitemap.xml' && test $nurl -gt 300 && ! test -e '$T/one/sitemap'"

FAQTORY_SITEMAP_URLS=100 $FAQTORY render --quiet --db "$db" --out "$T/split" 2>"$T/err"
k=$(( (nurl + 99) / 100 ))
check "split: sitemap.xml is an index of $k files" sh -c "grep -q '<sitemapindex ' '$T/split/sitemap.xml' && test \$(grep -c '<sitemap><loc>' '$T/split/sitemap.xml') -eq $k"
locs "$T/split/sitemap.xml" | sed 's|.*/sitemap/||; s|\.xml</loc>||' >"$T/parts"
check "split: the index names each part by its URL" sh -c "seq 1 $k | cmp -s - '$T/parts'"
ok=1
i=1
while [ $i -le $k ]; do
	f=$T/split/sitemap/$i.xml
	[ "$(locs "$f" | wc -l)" -le 100 ] || ok=0
	xmllint --noout "$f" 2>/dev/null || ok=0
	i=$((i + 1))
done
check "split: every part well-formed, at most 100 URLs" test $ok -eq 1
i=1
: >"$T/all"
while [ $i -le $k ]; do locs "$T/split/sitemap/$i.xml" >>"$T/all"; i=$((i + 1)); done
locs "$T/one/sitemap.xml" >"$T/one.locs"
check "split: the parts hold the one file's URLs in its order" cmp -s "$T/one.locs" "$T/all"
check "split: the index is well-formed" xmllint --noout "$T/split/sitemap.xml"

# The same tree rendered again with every URL in one file: the parts go.
$FAQTORY render --quiet --db "$db" --out "$T/split" 2>"$T/err"
check "back to one file: the parts are removed" sh -c "grep -q '<urlset ' '$T/split/sitemap.xml' && ! test -e '$T/split/sitemap'"
check "back to one file: as a fresh render's" cmp -s "$T/one/sitemap.xml" "$T/split/sitemap.xml"
check "bad FAQTORY_SITEMAP_URLS ignored" sh -c "FAQTORY_SITEMAP_URLS=0x10 $FAQTORY render --quiet --db '$db' --out '$T/bad' 2>/dev/null && cmp -s '$T/one/sitemap.xml' '$T/bad/sitemap.xml'"
