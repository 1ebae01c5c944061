#!/bin/sh
# The ranking vectors (tests/vectors/ranking/): `faqtory search --entries`
# over the beer sample's site must give each query's expected total,
# corrections and first five entries, as the browser client must
# (tests/browser/ranking.test.mjs runs the same file).
. tests/e2e/lib.sh

db=$T/beer.db site=$T/site
$FAQTORY ingest --quiet --db "$db" examples/beer.stackexchange.com.7z 2>"$T/err" &&
	$FAQTORY index --quiet --db "$db" 2>>"$T/err" &&
	$FAQTORY render --quiet --db "$db" --out "$site" 2>>"$T/err" ||
	{ notok "build the beer sample" "$(cat "$T/err")"; exit 1; }
python3 - "$FAQTORY" "$db" "$site" tests/vectors/ranking/beer.jsonl <<'PY'
import json, subprocess, sys
faq, db, site, vec = sys.argv[1:]
for line in open(vec, encoding="utf-8"):
    v = json.loads(line)
    p = subprocess.run([*faq.split(), "search", "--db", db, "--json", "--limit", "5",
                        "--entries", site, "--", v["q"]], capture_output=True, text=True)
    name = "ranking vector %s" % json.dumps(v["q"])
    if p.returncode != 0:
        print("not ok %s: exit %d %s" % (name, p.returncode, p.stderr[:300]))
        continue
    r = json.loads(p.stdout)
    got = {"total": r["total"], "instead": r["instead"], "top": [x["entry"] for x in r["results"]]}
    want = {k: v[k] for k in ("total", "instead", "top")}
    print(("ok %s" % name) if got == want else "not ok %s: got %s, want %s" % (name, got, want))
PY
# Corrections off: the words as typed.
got=$($FAQTORY search --db "$db" --json --entries "$site" --no-fix -- tanins 2>&1)
check "--no-fix searches the word as typed" sh -c "echo '$got' | grep -q '\"total\":0,\"instead\":\[\]'"
# A folder that is not a site: one error line, exit 1.
$FAQTORY search --db "$db" --entries "$T" -- beer >"$T/out" 2>"$T/err"
st=$?
lines=$(wc -l <"$T/err")
check "--entries on a folder without a search index fails (exit $st, $lines lines)" [ $st -eq 1 -a "$lines" -eq 1 ]
# Damaged search files (a folder a person names): answers or one error,
# never a crash (ASan/UBSan build under tests/run.sh).
cp -r "$site" "$T/bad"
python3 - "$T/bad/search" <<'PY'
import os, random, sys
random.seed(7)
for d in ("t", "r", "d"):
    for f in sorted(os.listdir(os.path.join(sys.argv[1], d)))[:60]:
        p = os.path.join(sys.argv[1], d, f)
        b = bytearray(open(p, "rb").read())
        for _ in range(30):
            if b:
                b[random.randrange(len(b))] = random.randrange(256)
        open(p, "wb").write(bytes(b[:random.randrange(len(b) + 1)] if random.random() < 0.3 else b))
PY
bad=0
for q in a ab temprature "wine cork" zzzz "to be" "stout beer ale lager" carbonat; do
	$FAQTORY search --db "$db" --json --entries "$T/bad" -- "$q" >/dev/null 2>"$T/err"
	st=$?
	[ $st -le 1 ] || { bad=1; echo "# $q: exit $st $(head -c 300 "$T/err")"; }
done
check "damaged search files: no crash" [ $bad -eq 0 ]
