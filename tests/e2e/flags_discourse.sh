#!/bin/sh
# A closed Discourse topic never raises an unanswered flag (issue 14):
# the real urho3d export, minimally edited.  The two unanswered topics
# with the most views are picked from a first build; the first is closed
# (its topic JSON's "closed": true), the second left as it is.  After the
# edit the closed one is recorded in threads.closed and unflagged, the
# other keeps its flag; reopened ("closed": false), the first is flagged
# again.
. tests/e2e/lib.sh

mkdir -p "$T/src"
tar xJf "$DATA/discourse-urho3d/urho3d-topics.tar.xz" -C "$T/src"
J=$T/src/urho3d-topics/posts/json
build() { # NAME: a fresh store of $J, indexed; its flags as JSON
	$FAQTORY ingest --quiet --format discourse --db "$T/$1.db" "$J" 2>"$T/err" &&
	    $FAQTORY index --quiet --db "$T/$1.db" 2>>"$T/err" &&
	    $FAQTORY trends --json --db "$T/$1.db" >"$T/$1.json" 2>>"$T/err"
}
unanswered() { # NAME: the ids flagged unanswered, one per line
	python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["flags"]:
    if f["kind"] == "unanswered":
        print(f["thread"]["id"])' "$T/$1.json"
}
flagged() { unanswered "$1" | grep -qx "$2"; }
close() { # ID true|false: sets the topic's "closed"
	python3 - "$J" "$1" "$2" <<'PY'
import glob, json, sys
d, tid, v = sys.argv[1], sys.argv[2], sys.argv[3] == "true"
(p,) = glob.glob("%s/*.%s.json" % (d, tid))
t = json.load(open(p, encoding="utf-8"))
t["closed"] = v
json.dump(t, open(p, "w", encoding="utf-8"))
PY
}

if ! build before; then
	notok "build" "$(head -c 300 "$T/err")"
	exit 0
fi
a=$(unanswered before | sed -n 1p)
b=$(unanswered before | sed -n 2p)
check "two unanswered topics to edit ($a, $b)" [ -n "$a" -a -n "$b" ]
close "$a" true
build closed
check "closed topic $a: threads.closed is set" \
    [ "$(sqlite3 "$T/closed.db" "SELECT closed IS NOT NULL FROM threads WHERE ext_id=$a")" = 1 ]
if flagged closed "$a"; then notok "closed topic $a is flagged unanswered"
else ok "closed topic $a is not flagged unanswered"; fi
check "open topic $b keeps its flag" flagged closed "$b"
close "$a" false
build reopened
check "reopened topic $a is flagged again" flagged reopened "$a"
