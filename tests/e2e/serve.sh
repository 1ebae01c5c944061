#!/bin/sh
# serve: loopback preview of a built site (libmicrohttpd).  Files and
# folders, content types, 404 page with status 404, no path traversal,
# no hidden files, loopback only.
. "$(dirname "$0")/lib.sh"
db=$T/x.db
$FAQTORY ingest --quiet --db "$db" tests/fixtures/xss.stackexchange.com 2>/dev/null
$FAQTORY index --quiet --db "$db" 2>/dev/null
$FAQTORY render --quiet --db "$db" --out "$T/site" 2>/dev/null
$FAQTORY serve --port 0 "$T/site" >"$T/out" 2>"$T/err" &
pid=$!
i=0
while ! grep -q 'http://' "$T/out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$T/out")
check "listens on 127.0.0.1" test -n "$url"
port=${url##*:}; port=${port%/}
get() { curl -s -o "$T/body" -w '%{http_code} %{content_type}' --path-as-is "$url$1"; }
check "home 200 html" test "$(get '')" = "200 text/html; charset=utf-8"
check "css type" test "$(get assets/site.css)" = "200 text/css; charset=utf-8"
check "feed type" test "$(get feed.xml)" = "200 application/atom+xml; charset=utf-8"
check "folder without slash redirects" test "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "${url}tags")" = "301 ${url}tags/"
check "missing page: 404 with the 404 page" sh -c "test \"\$(curl -s -o '$T/body' -w '%{http_code}' '${url}no/such/')\" = 404 && grep -q 'Page not found' '$T/body'"
check "no path traversal" sh -c "test \"\$(curl -s -o '$T/body' -w '%{http_code}' --path-as-is '${url}../../../../etc/passwd')\" = 404 && ! grep -q root: '$T/body'"
check "no encoded traversal" sh -c "test \"\$(curl -s -o /dev/null -w '%{http_code}' --path-as-is '${url}%2e%2e/%2e%2e/etc/passwd')\" = 404"
check "no hidden files" test "$(curl -s -o /dev/null -w '%{http_code}' "${url}.faqtory-manifest")" = 404
check "POST refused" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url")" = 405
# gzip: text goes out compressed to a client that accepts it, the same
# bytes once inflated; never to one that does not, or refuses it.
hdr() { curl -s -o "$T/gz" -D "$T/head" -H "Accept-Encoding: $2" "$url$1"; }
hdr assets/search.js gzip
check "gzip when accepted" sh -c "grep -qi '^content-encoding: gzip' '$T/head' && grep -qi '^vary: accept-encoding' '$T/head'"
check "gzip inflates to the file" sh -c "gzip -dc '$T/gz' | cmp -s - '$T/site/assets/search.js'"
check "gzip smaller than the file" test "$(wc -c <"$T/gz")" -lt "$(wc -c <"$T/site/assets/search.js")"
hdr assets/search.js 'br, gzip;q=0'
check "no gzip when refused (q=0)" sh -c "! grep -qi '^content-encoding' '$T/head' && cmp -s '$T/gz' '$T/site/assets/search.js'"
hdr assets/search.js 'identity'
check "no gzip when not accepted" sh -c "! grep -qi '^content-encoding' '$T/head' && cmp -s '$T/gz' '$T/site/assets/search.js'"
curl -s -o "$T/gz" -D "$T/head" -H 'Accept-Encoding: *' -H 'Accept-Encoding: gzip;q=0' "${url}assets/search.js"
check "repeated Accept-Encoding lines read as one list" sh -c "! grep -qi '^content-encoding' '$T/head'"
curl -s -o "$T/gz" -D "$T/head" -H 'Accept-Encoding: br' -H 'Accept-Encoding: gzip' "${url}assets/search.js"
check "gzip named on a second line" grep -qi '^content-encoding: gzip' "$T/head"
hdr '' '*;q=0.5'
check "gzip under '*'" sh -c "grep -qi '^content-encoding: gzip' '$T/head' && gzip -dc '$T/gz' | cmp -s - '$T/site/index.html'"
hdr no/such/ gzip
check "404 page gzipped with status 404" sh -c "grep -q '^HTTP/1.1 404' '$T/head' && gzip -dc '$T/gz' | grep -q 'Page not found'"
curl -s -I -H 'Accept-Encoding: gzip' "${url}assets/search.js" >"$T/head"
check "HEAD: gzip headers, no body" sh -c "grep -qi '^content-encoding: gzip' '$T/head'"
ext=$(ip -4 -o addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -1)
if [ -n "$ext" ]; then
	check "not reachable on $ext" sh -c "! curl -s -m 2 -o /dev/null 'http://$ext:$port/'"
fi
kill "$pid"
wait "$pid"
check "stops cleanly on SIGTERM" test $? -eq 0
$FAQTORY serve --port 0 "$T/site" >"$T/out2" 2>/dev/null &
pid=$!
i=0
while ! grep -q 'http://' "$T/out2" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(grep -o '127\.0\.0\.1:[0-9]*' "$T/out2" | cut -d: -f2)
$FAQTORY serve --port "$port" "$T/site" >/dev/null 2>"$T/err"
check "port in use: exit 1 with a message" sh -c "test $? -eq 1 && grep -q 'cannot listen' '$T/err'"
kill "$pid"
wait "$pid"
