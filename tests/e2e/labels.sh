#!/bin/sh
# Topic labels on every shared source: each source is ingested and
# indexed, and every label of `faqtory clusters --json` must be
# non-empty, hold no stopword of the source's languages (its
# sources.lang, and english; the lists of index/stopwords/) and no bare
# number.
. tests/e2e/lib.sh

for src in beer.stackexchange.com cardano.stackexchange.com \
    dba.meta.stackexchange.com eosio.meta.stackexchange.com \
    quantumcomputing.stackexchange.com discourse-urho3d/urho3d-topics.tar.xz \
    github-discussions-payloadcms/discussions.json; do
	name=${src%%/*}
	db=$T/$name.db
	if ! $FAQTORY ingest --quiet --db "$db" "$DATA/$src" 2>"$T/err" ||
	    ! $FAQTORY index --quiet --db "$db" 2>>"$T/err" ||
	    ! $FAQTORY clusters --db "$db" --json --level topic >"$T/$name.json" 2>>"$T/err"; then
		notok "$name: build" "$(head -c 300 "$T/err")"
		continue
	fi
	lang=$(sqlite3 "$db" "SELECT group_concat(coalesce(lang, 'english'), ' ') FROM sources")
	check "$name: every label non-empty, no stopword ($lang), no bare number" \
	    python3 - "$T/$name.json" "$lang" <<'PY'
import json, re, sys, unicodedata

CODES = {"ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan",
         "da": "danish", "nl": "dutch", "en": "english", "fi": "finnish",
         "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
         "hu": "hungarian", "id": "indonesian", "ga": "irish",
         "it": "italian", "lt": "lithuanian", "ne": "nepali",
         "no": "norwegian", "pt": "portuguese", "ro": "romanian",
         "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish",
         "ta": "tamil", "tr": "turkish", "yi": "yiddish"}
WORD = re.compile(r"[^\W_]+")


def fold(w):
    w = unicodedata.normalize("NFKD", w.casefold())
    return "".join(c for c in w if not unicodedata.combining(c))


langs = {"english"} | {CODES.get(l, l) for l in re.split(r"[ ,]+", sys.argv[2]) if l}
stop = set()
for l in langs:
    for line in open("index/stopwords/%s.txt" % l, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            stop.update(fold(p) for p in WORD.findall(line))
clusters = json.load(open(sys.argv[1]))["clusters"]
bad = []
for c in clusters:
    label = c["label"]
    words = WORD.findall(label)
    if not label.strip() or not words:
        bad.append(("empty", label))
    for w in words:
        if fold(w) in stop:
            bad.append(("stopword " + w, label))
    for w in re.split(r"[\s,]+", label):
        if w and not re.search(r"[^\W\d_]", w):
            bad.append(("number " + w, label))
print("%d labels, %d bad" % (len(clusters), len(bad)), bad[:8], file=sys.stderr)
sys.exit(1 if bad or not clusters else 0)
PY
done
