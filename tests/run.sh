#!/bin/sh
# The whole suite.  Unit tests run twice (plain build and ASan+UBSan);
# end-to-end tests run against the ASan+UBSan binary, so a leak or
# undefined behaviour anywhere fails them.  With VALGRIND=1 the plain
# binaries run under valgrind instead.
# Ends with the line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
pass=0
fail=0
failed=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86"
export SHARED="${SHARED:-../shared}"

count() { # name status
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); failed="$failed $1"; fi
}

# Unit tests: each binary prints "name: P passed, F failed".
for t in build/tests/test_* build-asan/tests/test_*; do
	[ -x "$t" ] || continue
	if [ "${VALGRIND:-}" = 1 ]; then
		case $t in build-asan/*) continue ;; esac
		valgrind -q --leak-check=full --error-exitcode=99 "$t" >"$log" 2>&1
	else
		"$t" >"$log" 2>&1
	fi
	st=$?
	line=$(grep -E '^test_.*: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	echo "$t: ${line#*: }"
	[ $st -eq 0 ] || cat "$log"
	count "$t" $st
done

# Every fuzz target replayed over its seed corpus (ASan+UBSan build): the
# seeds are regression inputs.
for t in build-asan/replay/fuzz_*; do
	[ -x "$t" ] || continue
	[ "${VALGRIND:-}" = 1 ] && continue
	n=$(basename "$t")
	"$t" "fuzz/seeds/$n" >"$log" 2>&1
	st=$?
	echo "$t: $(tail -1 "$log")"
	[ $st -eq 0 ] || tail -30 "$log"
	count "$t" $st
done

# End-to-end tests: each script prints "ok NAME" / "not ok NAME" lines.
if [ "${VALGRIND:-}" = 1 ]; then
	# valgrind's own messages go to a log per process, not to the
	# stderr the tests count lines of: valgrind 3.19 warns about every
	# openat2(2) it does not know ("unhandled syscall 437"), which the
	# code then falls back from.  Errors still fail the test (exit 99)
	# and their reports are printed at the end.
	vglog=$(mktemp -d)
	chmod 1777 "$vglog" # tests that drop to nobody log there too
	export FAQTORY="valgrind -q --leak-check=full --error-exitcode=99 --log-file=$vglog/%p $PWD/faqtory"
else
	export FAQTORY="$PWD/build-asan/faqtory"
fi
for t in tests/lint.sh tests/e2e/*.sh; do
	[ "$t" = tests/e2e/lib.sh ] && continue
	sh "$t" >"$log" 2>&1
	st=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	echo "$t: $p passed, $f failed"
	if [ $st -ne 0 ] || [ "$f" -ne 0 ]; then
		grep -v '^ok ' "$log" | head -60
		[ "$f" -eq 0 ] && f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	[ "$f" -ne 0 ] && failed="$failed $t"
done

# Browser tests (Playwright driving Debian's chromium), when present.
if [ -d tests/browser ] && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
	node --test tests/browser/ >"$log" 2>&1
	st=$?
	p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$log")
	f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$log")
	echo "tests/browser: ${p:-0} passed, ${f:-0} failed"
	[ $st -ne 0 ] && grep -E 'not ok|Error|expected|actual' "$log" | head -40
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	[ $st -ne 0 ] && [ "${f:-0}" -eq 0 ] && fail=$((fail + 1))
fi

if [ -n "${vglog:-}" ]; then
	grep -l '^==' "$vglog"/* 2>/dev/null | while read -r f; do
		echo "valgrind: $f"; grep '^==' "$f" | head -40; done
	rm -rf "$vglog"
fi
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
