#!/bin/sh
# Attribution, short URLs and counted nouns: a Stack Exchange dump
# without ContentLicense (2018) gets the licence Stack Exchange applied
# at each post's date; a JSON Lines source, which carries none, needs
# [site] content_license or the build fails naming it; every footer
# names its licences with their links; /q/SRC/ID/ leads to the entry;
# "1 answer", "2 answers".
. tests/e2e/lib.sh

QC=$DATA/quantumcomputing.stackexchange.com
JL=$T/example.jsonl
sed -n '/<!-- jsonl-example -->/,/^```$/p' docs/sources.md | sed '1,2d;$d' >"$JL"

# -- Stack Exchange: the licence by date ---------------------------------
check "the dump has no ContentLicense" sh -c "! grep -q ContentLicense '$QC/Posts.xml'"
db=$T/qc.db
$FAQTORY ingest --quiet --db "$db" "$QC" 2>"$T/err"
check "ingest the 2018 dump" test $? -eq 0
n=$(sqlite3 "$db" "SELECT count(*) FROM posts WHERE license IS NULL")
check "every post has a licence ($n without)" test "$n" = 0
n=$(sqlite3 "$db" "SELECT count(*) FROM comments WHERE license IS NULL")
check "every comment has a licence ($n without)" test "$n" = 0
# Thread 1280: asked and answered 2018-03-23, never edited.
l=$(sqlite3 "$db" "SELECT group_concat(DISTINCT license) FROM posts WHERE thread_ext=1280")
check "posts of 2018-03 never edited: CC BY-SA 3.0 ($l)" test "$l" = "CC BY-SA 3.0"
# Question 1185: asked 2018-03-18, edited by its author 2018-06-07: the
# current revision is 4.0 (Stack Exchange relicenses with each edit).
l=$(sqlite3 "$db" "SELECT license FROM posts WHERE ext_id=1185")
check "a post edited after 2018-05-02: CC BY-SA 4.0 ($l)" test "$l" = "CC BY-SA 4.0"
n=$(sqlite3 "$db" "SELECT count(*) FROM posts WHERE created >= '2018-05-02' AND license <> 'CC BY-SA 4.0'")
check "posts from 2018-05-02 on: 4.0 ($n otherwise)" test "$n" = 0

$FAQTORY render --quiet --db "$db" --out "$T/qc" 2>"$T/err"
check "render the 2018 dump" test $? -eq 0
e=$(ls -d "$T"/qc/q/quantumcomputing/1280/*/ 2>/dev/null | head -1)
check "entry of thread 1280 links CC BY-SA 3.0" grep -q '<a href="https://creativecommons.org/licenses/by-sa/3.0/" rel="license noopener">CC BY-SA 3.0</a>' "${e}index.html"
# No footer ends at "shared under": each names a licence with its link.
bad=$(grep -rL --include=index.html 'rel="license noopener">CC BY-SA [2-4]\.[05]</a>' "$T/qc/q" | xargs grep -l 'class="credit"' 2>/dev/null | wc -l)
check "every entry's footer names its licence ($bad without)" test "$bad" = 0
check "no link without a URL" sh -c "! grep -rq 'href=\"\" rel=\"license' '$T/qc/q'"

# A store written before licences were dated is migrated on open.
cp "$db" "$T/old.db"
sqlite3 "$T/old.db" "UPDATE posts SET license=NULL; UPDATE comments SET license=NULL; DROP TABLE post_hrefs; DROP TABLE post_src; DROP TABLE index_neighbours; DROP TABLE issue_members; DROP TABLE issues; DROP TABLE post_links; ALTER TABLE posts DROP COLUMN url; DROP TABLE answer_choice; DROP TABLE votes; ALTER TABLE threads DROP COLUMN accepted_day; PRAGMA user_version=5"
$FAQTORY render --quiet --db "$T/old.db" --out "$T/old" 2>"$T/err"
n=$(sqlite3 "$T/old.db" "SELECT count(*) FROM posts WHERE license IS NULL")
l=$(sqlite3 "$T/old.db" "SELECT group_concat(DISTINCT license) FROM posts WHERE thread_ext=1280")
check "migration dates an old store's licences ($n without, 1280: $l)" sh -c "[ '$n' = 0 ] && [ '$l' = 'CC BY-SA 3.0' ]"
check "and its pages name them" grep -q 'rel="license noopener">CC BY-SA 3.0</a>' "$T/old/${e#"$T/qc/"}index.html"

# -- short URLs ----------------------------------------------------------
check "q/SRC/ID/ has a page" test -f "$T/qc/q/quantumcomputing/1280/index.html"
check "it is noindex" grep -q '<meta name="robots" content="noindex">' "$T/qc/q/quantumcomputing/1280/index.html"
check "its canonical link is the entry" grep -q "<link rel=\"canonical\" href=\"http://localhost:8080/${e#"$T/qc/"}\">" "$T/qc/q/quantumcomputing/1280/index.html"
check "the short page is in the manifest" grep -q ' q/quantumcomputing/1280/index.html$' "$T/qc/.faqtory-manifest"
check "the sitemap lists only entries" sh -c "! grep -Eq '/q/[^/]+/[0-9]+/</loc>' '$T/qc/sitemap.xml' && grep -q '/q/quantumcomputing/1280/[a-z0-9-]*/</loc>' '$T/qc/sitemap.xml'"
# A folded thread's short URL goes straight to the entry it folds into.
r=$(grep -rl --include=index.html 'This question is answered at' "$T/qc/q" | grep -E '/q/[^/]+/[0-9]+/[^/]+/index.html$' | head -1)
if [ -n "$r" ]; then
	want=$(sed -n 's/.*<link rel="canonical" href="\([^"]*\)".*/\1/p' "$r")
	got=$(sed -n 's/.*<link rel="canonical" href="\([^"]*\)".*/\1/p' "$(dirname "$(dirname "$r")")/index.html")
	check "a folded thread's short URL leads to its canonical entry" test -n "$want" -a "$want" = "$got"
fi

# Through the preview server, as a reader who trimmed the URL would.
$FAQTORY serve --port 0 "$T/qc" >"$T/sout" 2>/dev/null &
pid=$!
i=0
while ! grep -q 'http://' "$T/sout" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$T/sout")
final=$(python3 - "$url" <<'PY'
import re, sys, urllib.request, urllib.parse
u = sys.argv[1] + "q/quantumcomputing/1280"   # no slash, no slug
for _ in range(3):
    r = urllib.request.urlopen(u)              # follows the 301
    u, html = r.geturl(), r.read().decode()
    m = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)
    if not m:
        break
    u = urllib.parse.urljoin(u, m.group(1))
h1 = re.search(r"<h1>(.*?)</h1>", html)
print(r.status, urllib.parse.urlparse(u).path, h1.group(1) if h1 else "")
PY
)
kill "$pid"
wait "$pid" 2>/dev/null
case $final in
"200 /q/quantumcomputing/1280/how-are-quantum-gates-implemented-in-reality/ How are quantum gates implemented in reality?")
	ok "/q/quantumcomputing/1280 reaches the entry" ;;
*) notok "/q/quantumcomputing/1280 reaches the entry" "$final" ;;
esac

# -- counted nouns -------------------------------------------------------
check "'1 answer'" grep -q '· 1 answer</p>' "${e}index.html"
n=$(grep -rl --include=index.html '· 2 answers</p>' "$T/qc/q" | wc -l)
check "'2 answers' ($n pages)" test "$n" -gt 0
check "never '1 answers'" sh -c "! grep -rqE '(^|[^0-9])1 (answers|more answers|questions|answered questions)' '$T/qc'"
printf '[site]\nlanguage = id\n' >"$T/id.ini"
$FAQTORY render --quiet --db "$db" --config "$T/id.ini" --out "$T/qcid" 2>"$T/err"
check "Indonesian: '1 jawaban', no inflection" grep -q '· 1 jawaban</p>' "$T/qcid/${e#"$T/qc/"}index.html"
# A theme's translation replaces every form of a noun it gives: English's
# answers_one must not show beside a German answers_other, and a locale
# from before plural forms ("answers") still counts.
mkdir -p "$T/de/locales"
printf '{"answers_other": "Antworten"}\n' >"$T/de/locales/de.json"
printf '[site]\nlanguage = de\n' >"$T/de.ini"
$FAQTORY render --quiet --db "$db" --config "$T/de.ini" --template "$T/de" --out "$T/qcde" 2>"$T/err"
check "a translation's only form is used for 1 too" grep -q '· 1 Antworten</p>' "$T/qcde/${e#"$T/qc/"}index.html"
printf '{"answers": "Antworten"}\n' >"$T/de/locales/de.json"
$FAQTORY render --quiet --db "$db" --config "$T/de.ini" --template "$T/de" --out "$T/qcde2" 2>"$T/err"
n=$(grep -rl --include=index.html '· [0-9]* answers\{0,1\}</p>' "$T/qcde2/q" | wc -l)
check "a locale from before plural forms: no English noun left ($n pages)" test "$n" -eq 0

# -- a source that carries no licence ------------------------------------
jdb=$T/jl.db
$FAQTORY ingest --quiet --db "$jdb" "$JL" 2>"$T/err"
check "ingest JSON Lines" test $? -eq 0
printf '[site]\ntitle = Help\n' >"$T/none.ini"
expect_fail "JSON Lines without content_license: the render fails naming it" "$jdb" \
	"^faqtory: source '.*' gives its posts no licence: set content_license in \\[site\\]" \
	-- render --quiet --db "$jdb" --config "$T/none.ini" --out "$T/jl-none"
check "nothing rendered" sh -c "! test -e '$T/jl-none/index.html'"
printf '[site]\ntitle = Help\n[build]\ndb = %s\nout = %s\nsource = %s\n' "$T/b.db" "$T/b-site" "$JL" >"$T/b.ini"
$FAQTORY build --quiet --config "$T/b.ini" >/dev/null 2>"$T/err"
st=$?
check "a build fails too, one line naming content_license (exit $st)" sh -c "[ $st = 1 ] && [ \$(wc -l <'$T/err') = 1 ] && grep -q content_license '$T/err'"
check "the build published nothing" sh -c "! test -e '$T/b-site'"

printf '[site]\ncontent_license = CC BY-SA 4.0\n' >"$T/cc.ini"
$FAQTORY render --quiet --db "$jdb" --config "$T/cc.ini" --out "$T/jl-cc" 2>"$T/err"
check "with content_license = CC BY-SA 4.0 it renders" test $? -eq 0
f=$(ls -d "$T"/jl-cc/q/*/17/*/ | head -1)
check "the footer is complete" grep -q 'shared under <a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license noopener">CC BY-SA 4.0</a> </p>' "${f}index.html"
printf '[site]\ncontent_license = Forum Terms <https://forum.example.com/tos>\n' >"$T/own.ini"
$FAQTORY render --quiet --db "$jdb" --config "$T/own.ini" --out "$T/jl-own" 2>"$T/err"
f=$(ls -d "$T"/jl-own/q/*/17/*/ | head -1)
check "NAME <URL>: the footer links the URL" grep -q '<a href="https://forum.example.com/tos" rel="license noopener">Forum Terms</a>' "${f}index.html"

# Bad values: FILE:LINE errors, nothing rendered.
bad() { # name, value, message pattern
	printf '[site]\ntitle = Help\ncontent_license = %s\n' "$2" >"$T/bad.ini"
	expect_fail "content_license = $2: $1" "$jdb" "^faqtory: .*bad\\.ini:3: content_license: $3" \
		-- render --quiet --db "$jdb" --config "$T/bad.ini" --out "$T/jl-bad"
}
bad "unknown name without a URL" "Forum Terms" "not a licence faqtory knows"
bad "not a web URL" "Terms <javascript:alert(1)>" "the URL must be an absolute"
bad "no name" "<https://x.example/tos>" "expected 'NAME <URL>'"
bad "text after the URL" "Terms <https://x.example/tos> more" "expected 'NAME <URL>'"
bad "version not a number" "CC BY-SA four" "not a licence faqtory knows"
