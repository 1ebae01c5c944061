# Shared by the end-to-end tests.  $FAQTORY is the binary under test
# (tests/run.sh points it at the ASan+UBSan build); $SHARED the shared
# data folder (../shared from the repository root).
set -u
FAQTORY=${FAQTORY:-./faqtory}
SHARED=${SHARED:-../shared}
# Absolute, so that a config file written anywhere can name it.
DATA=$(cd "$SHARED/data" 2>/dev/null && pwd) || DATA=$SHARED/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok $1"; }
notok() { echo "not ok $1${2:+: $2}"; }
check() { # name, then a command that must succeed
	n=$1; shift
	if "$@"; then ok "$n"; else notok "$n"; fi
}
# Digest of a store's whole content (schema and rows), whatever the
# order of rows on disk.
digest() { sqlite3 "$1" .dump | LC_ALL=C sort | sha256sum | cut -c1-16; }

# expect_fail NAME DB PATTERN -- ARGS...: the command must exit 1, print
# exactly one line on stderr matching PATTERN (grep -E), and leave the
# store's content as it was.
expect_fail() {
	name=$1 db=$2 pat=$3
	shift 4
	before=$(digest "$db")
	$FAQTORY "$@" >"$T/out" 2>"$T/err"
	st=$?
	after=$(digest "$db")
	lines=$(wc -l <"$T/err")
	if [ $st -ne 1 ]; then notok "$name" "exit $st, want 1: $(head -c 300 "$T/err")"
	elif [ "$lines" -ne 1 ]; then notok "$name" "$lines stderr lines: $(head -c 600 "$T/err")"
	elif ! grep -Eq "$pat" "$T/err"; then notok "$name" "message: $(cat "$T/err")"
	elif [ "$before" != "$after" ]; then notok "$name" "store changed"
	else ok "$name"; fi
}
