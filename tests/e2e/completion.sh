#!/bin/sh
# completion: completion/faqtory.bash, sourced by bash and called as bash
# calls it (COMP_WORDS, COMP_CWORD), completes exactly the subcommands and
# each one's options of faqtory.c's command table, the --format values of
# ingest/ingest.c, every stemmer of index/tokenize.c for --lang, the
# --level values, and files where an option names one.
. "$(dirname "$0")/lib.sh"
COMP=$PWD/completion/faqtory.bash

# The lists, from the source.
python3 - >"$T/src" <<'EOF'
import re, sys
sys.path.insert(0, "tests/e2e")
import man_check
fq = open("faqtory.c").read()
for name, opts in man_check.commands(fq).items():
    print("cmd", name, *opts)
ing = open("ingest/ingest.c").read()
print("formats", *re.findall(r'\{ "(\w+)", \w+_ingest \}', ing))
tok = open("index/tokenize.c").read()
table = tok[tok.index("} langs[] = {"):]
print("langs", *re.findall(r'\{ "(\w+)", "\w+",', table[:table.index("};")]))
EOF

# complete WORD...: the completions bash would offer for the last word,
# sorted, one line.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_faqtory; [ ${#COMPREPLY[@]} -eq 0 ] ||
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort |
		tr "\n" " "' _ "$COMP" faqtory "$@"
}
sorted() { printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' '; }

cmds=$(awk '$1 == "cmd" { print $2 }' "$T/src")
check "the source has subcommands" test -n "$cmds"
# shellcheck disable=SC2086
want=$(sorted $cmds --help --version)
got=$(complete_words "")
check "subcommands: every one and no other" test "$got" = "$want"
check "a prefix completes: 'bu' -> build" test "$(complete_words bu)" = "build "

while read -r kind name opts; do
	[ "$kind" = cmd ] || continue
	# shellcheck disable=SC2086
	want=$(sorted $opts --quiet --help)
	got=$(complete_words "$name" --)
	if [ "$got" = "$want" ]; then ok "options of $name"
	else notok "options of $name" "got '$got', want '$want'"; fi
done <"$T/src"

# shellcheck disable=SC2046
want=$(sorted $(awk '$1 == "formats" { $1 = ""; print }' "$T/src"))
check "--format: the formats of ingest/ingest.c" \
    test "$(complete_words ingest --format "")" = "$want"
langs=$(awk '$1 == "langs" { $1 = ""; print }' "$T/src")
# shellcheck disable=SC2086
want=$(sorted $langs none)
check "--lang (ingest): every stemmer of index/tokenize.c, and none" \
    test "$(complete_words ingest --lang "")" = "$want"
check "--lang (build): the same" \
    test "$(complete_words build --lang "")" = "$want"
check "--lang ru -> russian" test "$(complete_words build --lang ru)" = "russian "
check "--level: issue, topic" \
    test "$(complete_words clusters --level "")" = "issue topic "

# Files and folders, in a folder of known content.
mkdir -p "$T/w/sub" && touch "$T/w/site.ini" "$T/w/dump.7z"
cd "$T/w" || exit 1
check "--config completes files" \
    test "$(complete_words build --config s)" = "site.ini sub "
check "--out completes folders only" \
    test "$(complete_words build --out s)" = "sub "
check "ingest's SOURCE completes files" \
    test "$(complete_words ingest d)" = "dump.7z "
check "serve's DIR completes folders" test "$(complete_words serve "")" = "sub "
check "--port completes nothing" test "$(complete_words serve --port "")" = ""
