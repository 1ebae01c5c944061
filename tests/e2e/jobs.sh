#!/bin/sh
# --jobs N and [build] jobs: the published site and the store are the
# same bytes whatever N (1, 2, 7).  Beer is built whole three times;
# urho3d (5,046 topics, enough that related questions cut their longest
# posting lists) is indexed on 1 and 7 threads.
. tests/e2e/lib.sh

# The store's rows in SQLite's own dump order (rowid order): equal dumps
# mean every stage wrote the same rows in the same order.
dump() { sqlite3 "$1" .dump | sha256sum | cut -c1-16; }

# build_n N DIR [CONFIG_JOBS]: one whole build of beer into DIR, with
# --jobs N, or with "jobs = N" in the config when CONFIG_JOBS is set.
build_n() {
	mkdir -p "$2"
	{ printf '[site]\ntitle = Jobs\nbase_url = https://faq.example.com/\n'
	  printf '[build]\ndb = store.db\nout = site\n'
	  printf 'source = %s\n' "$DATA/beer.stackexchange.com/beer.stackexchange.com.7z"
	  [ -n "${3:-}" ] && printf 'jobs = %s\n' "$1"; } >"$2/faqtory.ini"
	if [ -n "${3:-}" ]; then
		$FAQTORY build --quiet --config "$2/faqtory.ini" 2>"$2/err"
	else
		$FAQTORY build --quiet --jobs "$1" --config "$2/faqtory.ini" 2>"$2/err"
	fi
}

fail=""
for n in 1 2 7; do
	if [ $n = 7 ]; then build_n $n "$T/b$n" config; else build_n $n "$T/b$n"; fi ||
		fail="$fail build$n:$(head -c 300 "$T/b$n/err")"
done
check "build --jobs 1, 2 and jobs = 7 in the config succeed${fail:+ ($fail)}" [ -z "$fail" ]
same_site=yes same_store=yes
for n in 2 7; do
	diff -r "$T/b1/site/" "$T/b$n/site/" >"$T/diff" 2>&1 || same_site="no (1 vs $n: $(head -c 300 "$T/diff"))"
	[ "$(dump "$T/b1/store.db")" = "$(dump "$T/b$n/store.db")" ] || same_store="no (1 vs $n)"
done
check "published sites byte-identical for N = 1, 2, 7: $same_site" [ "$same_site" = yes ]
check "stores dump byte-identical for N = 1, 2, 7: $same_store" [ "$same_store" = yes ]
pages=$(find "$T/b1/site/" -name index.html | wc -l)
check "the site is not empty ($pages pages)" [ "$pages" -gt 1000 ]

# The longest posting lists are cut (index/cluster.c): the same rows on
# 1 and 7 threads.
$FAQTORY ingest --quiet --db "$T/u1.db" "$DATA/discourse-urho3d/urho3d-topics.tar.xz" \
    2>"$T/err" || notok "ingest urho3d" "$(head -c 300 "$T/err")"
cp "$T/u1.db" "$T/u7.db"
for n in 1 7; do
	$FAQTORY index --quiet --jobs $n --db "$T/u$n.db" 2>"$T/err" ||
		notok "index urho3d --jobs $n" "$(head -c 300 "$T/err")"
done
check "urho3d indexed on 1 and 7 threads: the same store" \
    [ "$(dump "$T/u1.db")" = "$(dump "$T/u7.db")" ]
rel=$(sqlite3 "$T/u1.db" "SELECT count(*) FROM related")
check "urho3d has related questions ($rel rows)" [ "$rel" -gt 40000 ]

# Bad values are usage errors, before anything is read.
$FAQTORY index --jobs 0 --db "$T/u1.db" >/dev/null 2>"$T/err"
check "--jobs 0 is a usage error" [ $? -eq 2 ]
printf '[build]\njobs = many\n' >"$T/bad.ini"
$FAQTORY build --config "$T/bad.ini" >/dev/null 2>"$T/err"
check "jobs = many in the config is refused with its line" \
    grep -q "bad.ini:2: 'jobs' is a number from 1 to 1000" "$T/err"
