#!/bin/sh
# make eval: quality of related questions and clusters against the
# human duplicate links of every Stack Exchange site in the shared data;
# then answer selection on held-out accepted threads of every shared
# source (docs/answer-selection.md).
# One store is ingested with --no-duplicate-links (what we measure), a
# second one normally (where the human pairs come from).  Prints a table
# per site and pooled; see docs/index.md.
# usage: bench/eval.sh   (from the repository root; FAQTORY, SHARED)
set -eu
cd "$(dirname "$0")/.."
FAQ=${FAQTORY:-./faqtory}
DATA=${SHARED:-../shared}/data
out=bench/out/eval
mkdir -p "$out"
rm -f "$out"/nd.db* "$out"/human.db*
. bench/lib.sh
se_stores
$FAQ index --db "$out/nd.db"
$FAQ related --db "$out/nd.db" --json --k 10 >"$out/related.json"
$FAQ clusters --db "$out/nd.db" --json >"$out/clusters.json"
python3 bench/eval.py "$FAQ" "$out"

# Answer selection: every shared source in one store (the Stack
# Exchange sites, Discourse, GitHub), indexed as a build would.
echo
echo "## answer selection"
echo
rm -f "$out"/answers.db*
# shellcheck disable=SC2086
$FAQ ingest --quiet --db "$out/answers.db" $srcs \
    "$DATA/discourse-urho3d/urho3d-topics.tar.xz" \
    "$DATA/github-discussions-payloadcms"
$FAQ index --quiet --db "$out/answers.db"
$FAQ answers --eval --db "$out/answers.db"
echo
echo "conservative variant: the acceptance day's votes hidden too"
echo
$FAQ answers --eval --strict-votes --db "$out/answers.db" | sed -n '3,13p'

# Precision of the clusters on hand-judged pairs (the judging rule and
# the sample are at the top of the data file).
echo
echo "## judged pairs: precision of the clusters"
echo
python3 bench/judged.py tests/data/judged_pairs.tsv "$out/clusters.json"
