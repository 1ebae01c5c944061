#!/bin/sh
# render: the static site from a store.  Determinism (two renders are
# byte-identical), incrementality (written/kept/removed counts), the
# link checker and JSON-LD over the whole output, locales, overrides.
. "$(dirname "$0")/lib.sh"
CHECK="python3 tests/e2e/site_check.py"
FIX=tests/fixtures/xss.stackexchange.com

# render_counts DB OUT [ARGS]: runs render, prints "W K R".
render_counts() {
	db=$1 out=$2
	shift 2
	$FAQTORY render --db "$db" --out "$out" "$@" 2>"$T/rerr" >/dev/null || {
		cat "$T/rerr" >&2; echo "fail"; return; }
	sed -n 's/^render: \([0-9]*\) written, \([0-9]*\) kept, \([0-9]*\) removed.*/\1 \2 \3/p' "$T/rerr"
}

db=$T/beer.db
$FAQTORY ingest --quiet --db "$db" examples/beer.stackexchange.com.7z 2>"$T/err" &&
	$FAQTORY index --quiet --db "$db" 2>>"$T/err"
check "beer ingested and indexed" test -s "$db"

r=$(render_counts "$db" "$T/a")
case $r in "fail"|"") notok "full render" "$(cat "$T/rerr")" ;;
*) w=${r%% *}; [ "$w" -gt 700 ] && ok "full render ($r)" || notok "full render" "$r" ;; esac
render_counts "$db" "$T/b" >/dev/null
check "two renders are byte-identical" diff -r "$T/a" "$T/b"
r=$(render_counts "$db" "$T/a")
case $r in "0 "*" 0") ok "rerender writes nothing ($r)" ;; *) notok "rerender writes nothing" "$r" ;; esac
if $CHECK "$T/a" >"$T/chk" 2>&1; then ok "links, CSP, JSON-LD, manifest: $(cat "$T/chk")"
else notok "site check" "$(head -5 "$T/chk")"; fi

# Body links to questions of the site itself (post_links, resolved by
# ingest) point at their entries; a store whose post_links is empty
# (last ingested before schema step 11) leaves each of them pointing at
# the source's site, and no body link is lost.
loc='<a href="(\.\./)*q/beer/[0-9]+/[^"]*" rel="nofollow ugc noopener">'
nl=$(grep -rhoE "$loc" "$T/a/q" | wc -l)
check "body links to the site's questions are local ($nl)" test "$nl" -gt 10
sqlite3 "$db" "VACUUM INTO '$T/old.db'" && sqlite3 "$T/old.db" "DELETE FROM post_links"
$FAQTORY render --quiet --db "$T/old.db" --out "$T/o" 2>/dev/null
ugc() { grep -rho 'rel="nofollow ugc noopener"' "$1/q" | wc -l; }
check "without post_links they point at the source site ($(ugc "$T/a") links)" \
    sh -c "! grep -rqE '$loc' '$T/o/q' && test $(ugc "$T/a") -eq $(ugc "$T/o")"

# Entry page overhead: HTML minus post bodies, plus CSS and JS, gzipped.
over=$(python3 - "$T/a" <<'PY'
import gzip, os, re, sys
root = sys.argv[1]
pages = []
for d, _, fs in os.walk(os.path.join(root, "q")):
    for f in fs:
        t = open(os.path.join(d, f), encoding="utf-8").read()
        if "http-equiv=\"refresh\"" not in t:
            pages.append(t)
def strip(t):
    t = re.sub(r'<div class="body">.*?</div>\n', "", t, flags=re.S)
    return re.sub(r'<script type="application/ld\+json">.*?</script>', "", t, flags=re.S)
worst = max(len(gzip.compress(strip(t).encode())) for t in pages)
assets = sum(len(gzip.compress(open(os.path.join(root, "assets", f), "rb").read()))
             for f in ("site.css", "search.js"))
print(worst + assets)
PY
)
if [ "${over:-99999}" -le 20480 ]; then ok "entry overhead ${over} bytes gzipped (<= 20 KB)"
else notok "entry overhead" "$over bytes"; fi

# A template override restyles one file: only the pages using it change.
mkdir -p "$T/tpl"
sed 's/<h1>/<h1 class="nf">/' site-template/404.mustache >"$T/tpl/404.mustache"
r=$(render_counts "$db" "$T/a" --template "$T/tpl")
case $r in "1 "*" 0") ok "override of 404.mustache rewrites one file ($r)" ;;
*) notok "override rewrites one file" "$r" ;; esac
check "override applied" grep -q 'class="nf"' "$T/a/404.html"

# Locale: Indonesian interface, lang attribute.
printf '[site]\ntitle = Bir FAQ\nlanguage = id\nbase_url = https://faq.example.com/help/\n' >"$T/id.ini"
render_counts "$db" "$T/id" --config "$T/id.ini" >/dev/null
check "lang=id and Indonesian strings" sh -c "grep -q '<html lang=\"id\">' '$T/id/index.html' &&
	grep -q 'Baru diperbarui' '$T/id/index.html'"
check "base path used by 404 page" grep -q 'href="/help/assets/site.css"' "$T/id/404.html"
check "id locale has every key of en" python3 -c '
import json, sys
en = json.load(open("site-template/locales/en.json"))
idl = json.load(open("site-template/locales/id.json"))
# Indonesian has one plural category (CLDR "other"): no KEY_one.
missing = sorted(k for k in set(en) - set(idl) if not k.endswith("_one"))
sys.exit(print("missing:", missing) if missing else 0)'
check "bad template folder exits 1" sh -c "! $FAQTORY render --db '$db' --out '$T/x' --template '$T/nope' 2>/dev/null"

# Incremental: change one thread of a small dump, remove another.
x=$T/x.db
cp -r "$FIX" "$T/xss.stackexchange.com"
$FAQTORY ingest --quiet --db "$x" "$T/xss.stackexchange.com" 2>/dev/null
$FAQTORY index --quiet --db "$x" 2>/dev/null
render_counts "$x" "$T/xs" >/dev/null
n0=$(find "$T/xs/q" -name index.html | wc -l)
python3 - "$T/xss.stackexchange.com/Posts.xml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig").read()
s = s.replace("Answer &lt;svg", "Changed answer &lt;svg", 1)
s = re.sub(r'\s*<row Id="(19|20|21)" [^\n]*', "", s)
open(p, "w", encoding="utf-8").write("\ufeff" + s)
PY
$FAQTORY ingest --quiet --db "$x" "$T/xss.stackexchange.com" 2>/dev/null
$FAQTORY index --quiet --db "$x" 2>/dev/null
r=$(render_counts "$x" "$T/xs")
set -- $r
# Unchanged entries (4 of the 7) and the theme's files are kept.
if [ "${3:-0}" -ge 1 ] && [ "${1:-0}" -ge 1 ] && [ "${2:-0}" -ge 8 ]; then
	ok "changed and removed thread ($r)"; else notok "changed and removed thread" "$r"; fi
check "removed thread's folder is gone" sh -c "! test -e '$T/xs/q/xss/19'"
check "changed answer rendered" grep -rq "Changed answer" "$T/xs/q/xss/10"
n1=$(find "$T/xs/q" -name index.html | wc -l)
# The thread's entry and its short URL's page.
check "two pages fewer ($n0 -> $n1)" test "$n1" -eq $((n0 - 2))
if $CHECK "$T/xs" >"$T/chk" 2>&1; then ok "xss site check"; else notok "xss site check" "$(head -5 "$T/chk")"; fi
check "no raw script in xss output" sh -c "! grep -rl '<script>' '$T/xs' --include=*.html"
check "no event handler attribute in xss output" sh -c "! grep -rlE '<[a-z]+ [^>]*on(error|load|click|mouseover)=' '$T/xs' --include=*.html"

# In place, a run that stops half-way (here at the typo files, after it
# rewrote the term shards with other shard sizes) must not leave a
# manifest that vouches for files it changed: the next run writes what
# a fresh render writes (files it cannot know of may stay behind).
$FAQTORY render --quiet --db "$T/beer.db" --out "$T/ip" 2>/dev/null
$FAQTORY render --quiet --db "$T/beer.db" --out "$T/fresh" 2>/dev/null
mv "$T/ip/search/r" "$T/rsave"
mkdir -p "$T/elsewhere"
ln -s "$T/elsewhere" "$T/ip/search/r"
FAQTORY_SHARD_BYTES=2000 $FAQTORY render --quiet --db "$T/beer.db" --out "$T/ip" 2>"$T/err"
check "half-way run: exit 1" test $? -eq 1
check "half-way run: nothing written through the symlink" sh -c "test -z \"\$(ls -A '$T/elsewhere')\""
rm "$T/ip/search/r"
mv "$T/rsave" "$T/ip/search/r"
$FAQTORY render --quiet --db "$T/beer.db" --out "$T/ip" 2>/dev/null
diff -r "$T/fresh" "$T/ip" | grep -v "^Only in $T/ip/search/" >"$T/diff"
check "after a half-way run: every file as a fresh render's" sh -c "! test -s '$T/diff'"
