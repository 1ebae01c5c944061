#!/bin/sh
# manpages: faqtory(1) and faqtory.ini(5) pass `mandoc -T lint` (warnings
# and errors; style notes depend on which other pages the machine has) and
# name every subcommand, option, environment variable, exit status, config
# key and curation key the source has (man_check.py reads the tables).  A
# subcommand, option, config key, curation key and variable planted in a
# copy of the source must each make the check fail.
. "$(dirname "$0")/lib.sh"

if command -v mandoc >/dev/null 2>&1; then
	for p in man/faqtory.1 man/faqtory.ini.5; do
		mandoc -T lint -W warning "$p" >"$T/lint" 2>&1
		st=$?
		if [ $st -eq 0 ] && [ ! -s "$T/lint" ]; then ok "mandoc -T lint $p"
		else notok "mandoc -T lint $p" "$(head -5 "$T/lint")"; fi
	done
	mandoc -T markdown man/faqtory.1 >"$T/page" 2>&1
	check "faqtory(1) renders with its EXIT STATUS section" \
	    grep -q "EXIT STATUS" "$T/page"
else
	notok "mandoc -T lint" "mandoc is missing (scripts/deps.sh installs it)"
fi

python3 tests/e2e/man_check.py . >"$T/check" 2>&1
cat "$T/check"

# The check fails on what the pages do not mention.
mkdir -p "$T/tree"
cp -R faqtory.c core ingest index render man "$T/tree/"
sed -i 's/{ "serve", "--port", cmd_serve },/{ "serve", "--port", cmd_serve },\n\t{ "frobnicate", "--db --zap", cmd_serve },/' \
    "$T/tree/faqtory.c"
sed -i 's/^} keys\[\] = {/} keys[] = {\n\t{ "site", "colour", K_STR, 0, 0, NULL },/' \
    "$T/tree/core/config.c"
sed -i 's/if (strcmp(k, "retitle") == 0)/if (strcmp(k, "sticky") == 0 || strcmp(k, "retitle") == 0)/' \
    "$T/tree/ingest/curation.c"
sed -i 's/getenv("FAQTORY_TIMING")/getenv("FAQTORY_PLANTED")/' \
    "$T/tree/render/site.c"
python3 tests/e2e/man_check.py "$T/tree" >"$T/planted" 2>&1
st=$?
check "planted items: the check exits 1" test $st -eq 1
for what in "missing frobnicate" "frobnicate --zap" "--zap" \
    "missing \[site\] colour" "missing sticky" "FAQTORY_PLANTED"; do
	check "planted items: '$what' named" grep -q -- "$what" "$T/planted"
done
