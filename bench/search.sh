#!/bin/sh
# Static search against `faqtory search` and Pagefind 1.6 (npm), one run.
# Quality: every human duplicate link of the Stack Exchange sites in the
# shared data, the duplicate's title as the query, its canonical entry as
# the answer, over a store ingested without the duplicate links (as
# bench/eval.sh): MRR@10 and recall@10 of `faqtory search --entries`,
# the browser (chromium) and Pagefind.  Cost: index build time, index
# bytes, KB and time to the first results per cold query in chromium.
# Writes bench/out/search/; see docs/search.md.
# usage: bench/search.sh   (from the repository root; FAQTORY, SHARED,
#        PAGEFIND: a pagefind 1.6 command instead of npm's)
set -eu
cd "$(dirname "$0")/.."
FAQ=${FAQTORY:-./faqtory}
DATA=${SHARED:-../shared}/data
out=bench/out/search
rm -rf "$out"
mkdir -p "$out"
. bench/lib.sh
se_stores
ms() { date +%s%3N; }
# The index stage with and without the search data: the difference is
# what the static search costs there.
$FAQ index --quiet --db "$out/nd.db"
sqlite3 "$out/nd.db" "DELETE FROM search_docs; DELETE FROM search_forms;
  DELETE FROM search_vocab; DELETE FROM index_meta WHERE key = 'search'"
t0=$(ms); $FAQ index --quiet --db "$out/nd.db"; t1=$(ms)
$FAQ index --quiet --db "$out/nd.db"; t2=$(ms)
echo "searchdata_ms $(( (t1 - t0) - (t2 - t1) ))" >"$out/cost.txt"
FAQTORY_TIMING=1 $FAQ render --db "$out/nd.db" --out "$out/site" 2>"$out/render.err" >/dev/null
grep -o 'shards [0-9]* ms' "$out/render.err" | sed 's/shards \([0-9]*\) ms/shards_ms \1/' >>"$out/cost.txt"
# Pagefind 1.6 from npm, for this benchmark only (not a test dependency:
# CI never downloads its binary); PAGEFIND names an installed one.
pf=${PAGEFIND:-}
if [ -z "$pf" ]; then
	[ -x node_modules/.bin/pagefind ] ||
		npm install --no-save --no-audit --no-fund pagefind@1.6.0 >/dev/null
	pf="npx --no-install pagefind"
fi
# Pagefind indexes a copy of the same site (so each has its own files).
cp -a "$out/site" "$out/pf"
rm -rf "$out/pf/search/t" "$out/pf/search/d" "$out/pf/search/r"
/usr/bin/time -f "pagefind_peak_kb %M" -o "$out/pf.time" \
	sh -c "t0=\$(date +%s%3N); $pf --site '$out/pf' --output-subdir pagefind >'$out/pf.log' 2>&1; t1=\$(date +%s%3N); echo pagefind_ms \$((t1 - t0)) >>'$out/cost.txt'"
cat "$out/pf.time" >>"$out/cost.txt"
cp bench/search_pf.html "$out/pf/pf.html"
cp bench/search_pf.js "$out/pf/pf.js"
node bench/search.mjs "$FAQ" "$out"
node bench/typos.mjs "$FAQ" "$out" | tee "$out/typos.md"
