#!/bin/sh
# make demo: run the main job on the bundled sample.
set -eu
cd "$(dirname "$0")/.."
out=demo-out
mkdir -p "$out"
./faqtory build --config examples/faqtory.ini
./faqtory stats --db "$out/faqtory.db"
echo
echo "demo: the store is $out/faqtory.db"
echo "demo: the site is $out/site/; preview it with"
echo "      ./faqtory serve $out/site   then open http://127.0.0.1:8080/"
echo "      (opened straight from disk, browsers apply the pages' security"
echo "      policy to file: URLs and may drop the styles of inner pages)"
echo "demo: the writers' report is $out/report/ (./faqtory serve $out/report)"
