#!/bin/sh
# make demo: run the main job on the bundled sample.
set -eu
cd "$(dirname "$0")/.."
out=demo-out
mkdir -p "$out"
./faqtory ingest --db "$out/faqtory.db" examples/beer.stackexchange.com.7z
./faqtory stats --db "$out/faqtory.db"
echo
echo "demo: the store is $out/faqtory.db"
