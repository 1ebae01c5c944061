#!/bin/sh
# escape: every value from a source reaches a page escaped for its
# context.  The theme has no unescaped {{{x}}} (a reviewed allow-list,
# empty today), a hostile Stack Exchange tag-wiki excerpt injects no
# markup, unsafe thread URLs (javascript:, data:, vbscript: and their
# whitespace disguises) are dropped at ingest and never written as a
# link, every XML output is well-formed whatever the titles hold, and a
# theme whose partials expand 2^40 times ends at once with one error.
. "$(dirname "$0")/lib.sh"
ECHECK="python3 tests/e2e/escape_check.py"
WIKI=tests/fixtures/wiki.stackexchange.com

# -- the theme: no triple mustache outside the allow-list ------------
# {{x}} writes a value the renderer made as already-safe HTML (sanitized
# bodies, JSON-LD escaped for <script>, pre-escaped titles) as it is and
# escapes everything else, so the theme needs no {{{x}}} or {{&x}}.  A
# new one must be reviewed and listed here as "FILE NAME" with the
# reason its value is safe by construction.
ALLOW=""
found=$(grep -o '{{{[^}]*}}}\|{{&[^}]*}}' site-template/*.mustache 2>/dev/null |
	sed 's|^site-template/||; s|\.mustache:| |; s|[{}&]||g; s|  *| |g' | LC_ALL=C sort -u)
extra=""
for f in $(echo "$found" | tr ' ' ':'); do
	case " $ALLOW " in *" $f "*) ;; *) extra="$extra ${f%%:*}: ${f#*:}" ;; esac
done
if [ -z "$extra" ]; then ok "no unreviewed triple mustache in the theme"
else notok "no unreviewed triple mustache in the theme" "$extra"; fi
# A set-delimiter tag could hide one from the grep above.
check "no set-delimiter tag in the theme" sh -c "! grep -l '{{=' site-template/*.mustache"

# -- a hostile tag-wiki excerpt ----------------------------------------
db=$T/wiki.db
$FAQTORY ingest --quiet --db "$db" "$WIKI" 2>"$T/err" &&
	$FAQTORY index --quiet --db "$db" 2>>"$T/err" &&
	$FAQTORY render --quiet --db "$db" --out "$T/wiki" 2>>"$T/err"
check "wiki fixture renders" test $? -eq 0
n=$(sqlite3 "$db" "SELECT count(*) FROM tags WHERE description LIKE '%http-equiv%'")
check "the excerpt is the tag's description ($n)" test "${n:-0}" -ge 1
if $ECHECK "$T/wiki" >"$T/chk" 2>&1; then ok "wiki: no injected meta or script: $(cat "$T/chk")"
else notok "wiki: no injected meta or script" "$(head -5 "$T/chk")"; fi
check "tag page has its description as text" grep -q \
	'<meta name="description" content="&quot;&gt;&lt;meta http-equiv=&quot;refresh&quot;' \
	"$T/wiki/tag/wiki-text/index.html"
check "no refresh to evil.example anywhere" sh -c \
	"! grep -rl 'http-equiv=\"refresh\" content=\"0;url=https://evil' '$T/wiki'"

# -- one URL policy: unsafe thread and author URLs --------------------
jl=$T/urls.jsonl
python3 - "$jl" <<'PY'
import json, sys
bad = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
       "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
       "\x01javascript:alert(1)", "https:evil"]
with open(sys.argv[1], "w") as f:
    for i, u in enumerate(bad + ["https://forum.example.com/t/ok"]):
        accepted = i % 2 == 0 or u.endswith("/ok")
        f.write(json.dumps({
            "id": i + 1, "title": f"Thread {i} about the printer setup",
            "url": u, "views": 5000 + i,
            "question": {"author": {"name": f"user{i}", "url": "javascript:alert(2)"},
                         "date": "2024-01-0%dT00:00:00Z" % (i % 9 + 1),
                         "body": "How do I set up the printer driver?"},
            "answers": [{"author": "helper", "date": "2024-02-01T00:00:00Z",
                         "score": 2, "accepted": accepted,
                         "body": "Install the printer driver first."}]}) + "\n")
PY
udb=$T/urls.db
printf '[site]\ncontent_license = CC BY-SA 4.0\n' >"$T/lic.ini"
$FAQTORY ingest --quiet --db "$udb" "$jl" 2>"$T/err" &&
	$FAQTORY index --quiet --db "$udb" 2>>"$T/err" &&
	$FAQTORY render --quiet --db "$udb" --config "$T/lic.ini" --out "$T/urls" --report "$T/report" 2>>"$T/err"
check "jsonl with unsafe urls ingests and renders" test $? -eq 0
n=$(sqlite3 "$udb" "SELECT count(*) FROM threads WHERE url IS NOT NULL AND url NOT LIKE 'https://%'")
check "no unsafe thread url in the store ($n)" test "${n:-1}" -eq 0
n=$(sqlite3 "$udb" "SELECT count(*) FROM authors WHERE url IS NOT NULL")
check "no unsafe author url in the store ($n)" test "${n:-1}" -eq 0
n=$(sqlite3 "$udb" "SELECT count(*) FROM threads")
check "every thread stays ($n)" test "${n:-0}" -eq 8
$FAQTORY stats --json --db "$udb" >"$T/stats.json" 2>/dev/null
check "skipped counts unsafe_url" grep -q '"unsafe_url":15' "$T/stats.json"
check "report was written" test -s "$T/report/index.html"
check "report lists a thread of an unsafe url" grep -rq 'Thread 0 about' "$T/report"
if $ECHECK "$T/urls" "$T/report" >"$T/chk" 2>&1; then ok "site and report: no unsafe href: $(cat "$T/chk")"
else notok "site and report: no unsafe href" "$(head -5 "$T/chk")"; fi
check "no javascript: anywhere in site or report" sh -c \
	"! grep -rilE 'href=\"[[:space:]]*(java|vb)script|href=\"data:' '$T/urls' '$T/report'"
check "the safe url is the original-thread link" grep -rq \
	'href="https://forum.example.com/t/ok"' "$T/urls/q"

# -- XML outputs well-formed whatever the input ------------------------
xl=$T/xml.jsonl
python3 - "$xl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i, t in enumerate(["Noncharacters \ufffe and \uffff in a title",
                           "Controls \u0001\u0008\u001f and \ufffe\uffff",
                           "A plain printer question"]):
        f.write(json.dumps({
            "id": i + 1, "title": t, "url": "https://forum.example.com/t/%d" % i,
            "question": {"author": "a\uffffb", "date": "2024-01-02T00:00:00Z",
                         "body": "Body with \ufffe and \uffff inside."},
            "answers": [{"author": "c\ufffe", "date": "2024-01-03T00:00:00Z",
                         "accepted": True, "body": "Answer \uffff here."}]}) + "\n")
PY
printf '[site]\ntitle = Help \357\277\277 desk \357\277\276\nbase_url = https://faq.example.com/\ncontent_license = CC BY-SA 4.0\n' >"$T/xml.ini"
xdb=$T/xml.db
$FAQTORY ingest --quiet --db "$xdb" "$xl" 2>"$T/err" &&
	$FAQTORY index --quiet --db "$xdb" 2>>"$T/err" &&
	$FAQTORY render --quiet --db "$xdb" --config "$T/xml.ini" --out "$T/xml" --report "$T/xrep" 2>>"$T/err"
check "titles with noncharacters render" test $? -eq 0
nx=0 bad=""
for f in $(find "$T/xml" "$T/xrep" -name '*.xml'); do
	nx=$((nx + 1))
	xmllint --noout "$f" 2>>"$T/xmlerr" || bad="$bad ${f#$T/}"
done
if [ "$nx" -ge 3 ] && [ -z "$bad" ]; then ok "every .xml well-formed ($nx files)"
else notok "every .xml well-formed ($nx files)" "$bad $(head -3 "$T/xmlerr" 2>/dev/null)"; fi
check "no U+FFFE/U+FFFF in any page" sh -c \
	"! LC_ALL=C grep -rlP '\\xef\\xbf[\\xbe\\xbf]' '$T/xml' '$T/xrep'"

# -- a theme that expands 2^40 times ------------------------------------
mkdir -p "$T/bomb"
echo '{{>p0}}' >"$T/bomb/404.mustache"
i=0
while [ $i -lt 40 ]; do
	printf '{{>p%d}}{{>p%d}}\n' $((i + 1)) $((i + 1)) >"$T/bomb/p$i.mustache"
	i=$((i + 1))
done
echo 'expanded' >"$T/bomb/p40.mustache"
timeout 120 $FAQTORY render --quiet --db "$db" --out "$T/bomb-out" --template "$T/bomb" 2>"$T/err" >/dev/null
st=$?
if [ $st -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	grep -q "404: output over its limit of [0-9]* bytes (stopped in 'p[0-9]*')" "$T/err"
then ok "partial bomb ends with one error line"
else notok "partial bomb ends with one error line" "exit $st: $(head -c 300 "$T/err")"; fi

# -- locale files: one error line with the file, line and column --------
mkdir -p "$T/badloc/locales"
printf '{"skip": "Skip",\n "home": }\n' >"$T/badloc/locales/en.json"
$FAQTORY render --quiet --db "$db" --out "$T/badloc-out" --template "$T/badloc" 2>"$T/err" >/dev/null
st=$?
if [ $st -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	grep -Eq "^faqtory: .*badloc/locales/en\.json:2:[0-9]+: " "$T/err"
then ok "bad locale JSON: one line with line and column"
else notok "bad locale JSON: one line with line and column" "exit $st: $(head -c 300 "$T/err")"; fi
printf '{"skip": "Skip", "home": 1}\n' >"$T/badloc/locales/en.json"
$FAQTORY render --quiet --db "$db" --out "$T/badloc-out" --template "$T/badloc" 2>"$T/err" >/dev/null
st=$?
if [ $st -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	grep -q "badloc/locales/en.json: 'home': expected a string" "$T/err"
then ok "locale value not a string: one line naming the key"
else notok "locale value not a string: one line naming the key" "exit $st: $(head -c 300 "$T/err")"; fi
