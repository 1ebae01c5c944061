#!/bin/sh
# make bench: every benchmark, each comparing against its peer in the
# same run.  Figures are medians; the machine is noisy.
set -eu
cd "$(dirname "$0")/.."
echo "== ingest vs xmllint --stream (Posts.xml, beer 1x and 20x)"
sh bench/ingest.sh "${RUNS:-5}"
echo "== JSON sources: Discourse (.tar.xz and unpacked), GitHub Discussions"
sh bench/sources.sh "${RUNS:-3}"
echo "== full and nightly build of a 100k-question site (word-permuted copies)"
sh bench/scale.sh 100000
echo "== render vs Hugo (beer 1x and 20x), and the 1%-changed rebuild"
sh bench/render.sh "${RUNS:-3}"
echo "== static search vs Pagefind 1.6 (MRR@10, build time, bytes and time per query)"
sh bench/search.sh
echo "== paraphrases: the threads' vocabulary, WordNet and GloVe against bm25"
sh bench/paraphrase.sh
