#!/bin/sh
# serve: nothing outside the served folder, ever (absolute-looking
# paths, encoded slashes and NUL, symlinked folders and files), redirects
# only to same-origin paths, the Host header checked (DNS rebinding), and
# held-open idle connections cannot lock other clients out.
. "$(dirname "$0")/lib.sh"
db=$T/x.db
$FAQTORY ingest --quiet --db "$db" tests/fixtures/xss.stackexchange.com 2>/dev/null
$FAQTORY index --quiet --db "$db" 2>/dev/null
$FAQTORY render --quiet --db "$db" --out "$T/site" 2>/dev/null
# What a hostile tree (or a careless copy) might hold, and a folder
# outside the site that looks like a page.
mkdir -p "$T/outside/evil" "$T/site/sp ace"
echo SECRET >"$T/outside/index.html"
echo SECRET >"$T/outside/evil/index.html"
echo SECRET >"$T/outside/secret.txt"
echo fine >"$T/site/sp ace/index.html"
ln -s "$T/outside" "$T/site/linked"
ln -s "$T/outside/secret.txt" "$T/site/secret.txt"
ln -s / "$T/site/root"

$FAQTORY serve --port 0 "$T/site" >"$T/out" 2>"$T/err" &
pid=$!
i=0
while ! grep -q 'http://' "$T/out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$T/out")
port=${url##*:}; port=${port%/}

# status PATH [CURL ARGS...]: "CODE" and the body in $T/body, the
# headers in $T/head.
status() {
	p=$1; shift
	curl -s -m 5 -o "$T/body" -D "$T/head" -w '%{http_code}' --path-as-is "$@" "$url$p"
}
# refused PATH [CURL ARGS...]: 404 and nothing from outside the site.
refused() {
	test "$(status "$@")" = 404 && ! grep -q -e root: -e SECRET "$T/body"
}
check "//etc/passwd refused" refused /etc/passwd
check "/%2fetc/passwd refused" refused %2fetc/passwd
check "/%2Fetc/passwd refused" refused %2Fetc/passwd
check "NUL in a path refused" refused index.html%00.png
check "symlinked folder refused" refused linked/secret.txt
check "symlinked folder's index refused" refused linked/
check "symlink to / refused" refused root/etc/passwd
check "symlinked file refused" refused secret.txt
# "//tmp/x" once answered "301 Location: //tmp/x/", which a browser
# reads as the host "tmp".
location() { sed -n 's/^[Ll]ocation: *//p' "$T/head" | tr -d '\r'; }
check "//<outside folder> is no redirect elsewhere" sh -c "
	test \"\$(curl -s -m 5 -o /dev/null -D '$T/head' -w '%{http_code}' --path-as-is '$url$T/outside/evil')\" = 404 &&
	! grep -qi '^location: */[/\\\\]' '$T/head'"
check "symlinked folder without slash: no redirect" refused linked
check "redirect Location is path-absolute and encoded" sh -c "
	test \"\$(curl -s -m 5 -o /dev/null -D '$T/head' -w '%{http_code}' '${url}sp%20ace')\" = 301 &&
	grep -q '^Location: /sp%20ace/.\$' '$T/head'"
check "folder with a space served" test "$(status 'sp%20ace/')" = 200
# DNS rebinding: a page of evil.example whose name now points to
# 127.0.0.1 sends "Host: evil.example:PORT".
check "Host 127.0.0.1:PORT served" test "$(status '' -H "Host: 127.0.0.1:$port")" = 200
check "Host localhost:PORT served" test "$(status '' -H "Host: LocalHost:$port")" = 200
check "Host evil.example refused" sh -c "
	test \"\$(curl -s -m 5 -o '$T/body' -w '%{http_code}' -H 'Host: evil.example' '$url')\" = 421 &&
	! grep -q '<html' '$T/body'"
check "Host evil.example:PORT refused" test "$(status '' -H "Host: evil.example:$port")" = 421
check "Host with another port refused" test "$(status '' -H "Host: 127.0.0.1:1$port")" = 421
check "no Host refused" test "$(status '' --http1.0 -H 'Host:')" = 421

# 1,100 idle connections from one client (127.0.0.2, another loopback
# address) once took every slot for 30 s.
python3 tests/e2e/hold_idle.py "$port" 1100 127.0.0.2 "$T/alive" &
hold=$!
i=0
while [ ! -s "$T/alive" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "another client served while 1,100 are held" test "$(status '')" = 200
check "one client holds at most 32 connections" test "$(cat "$T/alive")" -le 32
sleep 6
check "idle connections closed within 6 s" test "$(status '' --interface 127.0.0.2)" = 200
kill "$hold"
wait "$hold" 2>/dev/null
kill "$pid"
wait "$pid"
check "stops cleanly on SIGTERM" test $? -eq 0
