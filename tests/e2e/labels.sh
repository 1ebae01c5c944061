#!/bin/sh
# Topic labels on every shared source: each source is ingested and
# indexed, and every label of `faqtory clusters --json` must be
# non-empty, hold no stopword of the source's languages (its
# sources.lang, and english; the lists of index/stopwords/) and no bare
# number; and every recurring issue is titled by its canonical question
# (the issue's label is that question's title, the question a member).
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
	bad=$(sqlite3 "$db" "SELECT count(*) FROM issues i
	    LEFT JOIN threads c ON c.id=i.canonical_thread
	    WHERE c.id IS NULL OR i.label<>c.title OR NOT EXISTS
	    (SELECT 1 FROM issue_members m WHERE m.issue_id=i.id
	     AND m.thread_id=c.id)")
	nis=$(sqlite3 "$db" "SELECT count(*) FROM issues")
	check "$name: all $nis recurring issues titled by their canonical question ($bad bad)" \
	    [ "$bad" = 0 ]
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
