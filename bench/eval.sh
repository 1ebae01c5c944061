#!/bin/sh
# make eval: quality of related questions and clusters against the
# human duplicate links of every Stack Exchange site in the shared data.
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
SITES="eosio.meta.stackexchange.com cardano.stackexchange.com
quantumcomputing.stackexchange.com dba.meta.stackexchange.com
beer.stackexchange.com/beer.stackexchange.com.7z"
srcs=""
for s in $SITES; do srcs="$srcs $DATA/$s"; done
# shellcheck disable=SC2086
$FAQ ingest --quiet --no-duplicate-links --db "$out/nd.db" $srcs
# shellcheck disable=SC2086
$FAQ ingest --quiet --db "$out/human.db" $srcs
$FAQ index --db "$out/nd.db"
$FAQ related --db "$out/nd.db" --json --k 10 >"$out/related.json"
$FAQ clusters --db "$out/nd.db" --json >"$out/clusters.json"
python3 bench/eval.py "$FAQ" "$out"
