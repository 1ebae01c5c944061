#!/bin/sh
# publish_security: what build and render may delete and publish.
# faqtory deletes only what it made (<out>.releases needs its marker),
# publishes the site and the report together or not at all, locks each
# output (not only the store), never removes a path of a tampered
# manifest outside the output, and reports a full disk (here a file
# size limit, which needs no root) in one line.
. "$(dirname "$0")/lib.sh"
FIX=$PWD/tests/fixtures/xss.stackexchange.com
DB=$T/a.db

# run STATUS ARGS...: runs faqtory quietly; true if it exits STATUS
# with exactly one line on stderr (kept in $T/err).
run() {
	want=$1
	shift
	$FAQTORY "$@" --quiet >"$T/out" 2>"$T/err"
	got=$?
	[ $got -eq "$want" ] && [ "$(wc -l <"$T/err")" -eq 1 ] && return 0
	echo "# exit $got, want $want: $(head -c 400 "$T/err")"
	return 1
}
# run2 ARGS...: a usage error (exit 2), its first line naming the overlap.
run2() {
	$FAQTORY "$@" --quiet >"$T/out" 2>"$T/err"
	got=$?
	[ $got -eq 2 ] && head -1 "$T/err" | grep -q "^faqtory: the report '.*' and the site '.*' overlap; give each its own folder" && return 0
	echo "# exit $got, want 2: $(head -c 400 "$T/err")"
	return 1
}
tree() { (cd "$1" && find . | LC_ALL=C sort | xargs ls -ld | sha256sum); }

# ---- item 3: a <out>.releases faqtory did not make is never emptied.
mkdir -p "$T/s1.releases/1" "$T/victim"
echo mine >"$T/s1.releases/notes.txt"
echo mine >"$T/s1.releases/1/work.txt"
check "foreign releases folder refused" run 1 build --db "$DB" --out "$T/s1" "$FIX"
check "  one line naming it" grep -q "s1.releases: exists and was not made by faqtory" "$T/err"
check "  its files survive" test -f "$T/s1.releases/notes.txt" -a -f "$T/s1.releases/1/work.txt"
check "  nothing published" test ! -e "$T/s1"
check "  nothing ingested" test ! -e "$DB"

echo mine >"$T/victim/keep.txt"
mkdir "$T/victim/7"
ln -s "$T/victim" "$T/s2.releases"
check "symlinked releases folder refused" run 1 build --db "$DB" --out "$T/s2" "$FIX"
check "  the folder it points to survives" test -f "$T/victim/keep.txt" -a -d "$T/victim/7"

mkdir -p "$T/r1.releases"
echo mine >"$T/r1.releases/draft.md"
check "foreign report releases refused" run 1 build --db "$DB" --out "$T/s3" --report "$T/r1" "$FIX"
check "  the report's folder survives" test -f "$T/r1.releases/draft.md"
check "  the site is not published either" test ! -e "$T/s3"

$FAQTORY build --quiet --db "$DB" --out "$T/site" "$FIX" 2>"$T/err"
check "a fresh build publishes" test $? -eq 0 -a -L "$T/site"
check "  and marks its releases folder" test -f "$T/site.releases/.faqtory-releases"
echo mine >"$T/site.releases/README"
mkdir "$T/site.releases/old-backup"
for i in 1 2 3; do $FAQTORY build --quiet --db "$DB" --out "$T/site" "$FIX" 2>/dev/null; done
check "  later builds delete only numbered releases" test -f "$T/site.releases/README" -a -d "$T/site.releases/old-backup"
check "  and keep two releases" test "$(ls "$T/site.releases" | grep -c '^[0-9]*$')" -eq 2
rm "$T/site.releases/.faqtory-releases" # as an older faqtory left it
$FAQTORY build --quiet --db "$DB" --out "$T/site" "$FIX" 2>"$T/err"
check "  a release folder of an older faqtory is taken over" test $? -eq 0 -a -f "$T/site.releases/.faqtory-releases"

# ---- item 5: a report that cannot be published publishes nothing.
$FAQTORY build --quiet --db "$DB" --out "$T/site" --report "$T/rep" "$FIX" 2>/dev/null
before=$(readlink "$T/site") rbefore=$(readlink "$T/rep")
# A non-empty folder where the report's temporary symlink goes: the
# symlink cannot be made, as root too.
mkdir -p "$T/rep.tmp/x"
check "report publish fails" run 1 build --db "$DB" --out "$T/site" --report "$T/rep" "$FIX"
check "  the site still shows the old release" test "$(readlink "$T/site")" = "$before"
check "  the report too" test "$(readlink "$T/rep")" = "$rbefore"
check "  the folder in the way survives" test -d "$T/rep.tmp/x"
# The build had recycled the release before the site's current one (it
# failed after rendering): the newest left is the current one.
check "  no staging left behind" test "$(ls "$T/site.releases" | grep '^[0-9]*$' | sort -n | tail -1)" = "${before##*/}"
rm -rf "$T/rep.tmp"

# ---- item 6: the lock covers the output, whichever store builds it.
before=$(tree "$T/site.releases") link=$(readlink "$T/site")
exec 9>"$T/site.lock"
if flock -n 9; then
	check "output locked: build from another store exits 3" run 3 build --db "$T/other.db" --out "$T/site" "$FIX"
	check "  saying so" grep -q "site.lock: another build is running" "$T/err"
	check "  site untouched" test "$(tree "$T/site.releases")" = "$before" -a "$(readlink "$T/site")" = "$link"
	check "output locked: render exits 3" run 3 render --db "$DB" --out "$T/site"
fi
exec 9>&-
exec 9>"$T/rep.lock"
if flock -n 9; then
	check "report locked: build exits 3" run 3 build --db "$T/other.db" --out "$T/site" --report "$T/rep" "$FIX"
	check "  site untouched" test "$(tree "$T/site.releases")" = "$before" -a "$(readlink "$T/site")" = "$link"
fi
exec 9>&-

# ---- item 10: a tampered manifest never removes anything outside.
echo mine >"$T/victim.txt"
echo mine >"$T/abs-victim.txt"
mkdir -p "$T/outside"
echo mine >"$T/outside/f.html"
tamper() { # manifest: lines a rebuild would remove if it trusted them
	h=0000000000000000
	{
		grep -v '^end$' "$1"
		echo "$h $h 5 ../victim.txt"
		echo "$h $h 5 $T/abs-victim.txt"
		echo "$h $h 5 link/f.html"
		echo "$h $h 5 q/../../victim.txt"
		echo end
	} >"$1.new"
	mv "$1.new" "$1"
}
$FAQTORY render --quiet --db "$DB" --out "$T/plain" 2>/dev/null
ln -s "$T/outside" "$T/plain/link"
tamper "$T/plain/.faqtory-manifest"
$FAQTORY render --db "$DB" --out "$T/plain" 2>"$T/err"
check "render over a tampered manifest exits 0" test $? -eq 0
check "  ../ path survives" test -f "$T/victim.txt"
check "  absolute path survives" test -f "$T/abs-victim.txt"
check "  path through a symlink survives" test -f "$T/outside/f.html"
check "  one warning line" grep -q "warning: .*3 malformed or unsafe lines ignored" "$T/err"
tamper "$T/site/.faqtory-manifest"
$FAQTORY build --quiet --db "$DB" --out "$T/site" "$FIX" 2>/dev/null
check "build over a tampered release: outside files survive" test -f "$T/victim.txt" -a -f "$T/abs-victim.txt" -a -f "$T/outside/f.html"
ln -sf /dev/zero "$T/plain/.faqtory-manifest"
# (Old builds read /dev/zero until memory ran out: bounded here.)
timeout 60 $FAQTORY render --quiet --db "$DB" --out "$T/plain" 2>"$T/err"
check "a manifest that is a symlink is not read" test $? -eq 0

# ---- item 11: a full disk while rendering is one line.  A file size
# limit stands in for it (no root needed): files written past it fail
# with EFBIG, and faqtory ignores SIGXFSZ so it is not killed.
blk=$(sh -c "trap '' XFSZ; ulimit -f 1; head -c 8192 /dev/zero >'$T/probe'" 2>/dev/null; stat -c %s "$T/probe")
store=$(cat "$DB" "$DB"-* 2>/dev/null | wc -c)
limit=$(( (store + 1048576) / blk ))
mkdir -p "$T/big"
for i in 1 2 3 4; do head -c $((limit * blk + 65536)) /dev/zero | tr '\0' x >"$T/big/big$i.txt"; done
before=$(readlink "$T/site")
big_build() { # [trap]: SIGXFSZ ignored by the shell already
	sh -c "${1:-} ulimit -f $limit; exec $FAQTORY build --quiet --db '$DB' --out '$T/site' --template '$T/big' '$FIX'" >/dev/null 2>"$T/err"
}
big_build
check "full disk: build exits 1 (not killed by SIGXFSZ)" test $? -eq 1
d0=$(digest "$DB")
big_build "trap '' XFSZ;"
check "  exactly one error line" test "$(wc -l <"$T/err")" -eq 1
check "  naming the failure" grep -q "big[1-4].txt: File too large" "$T/err"
check "  the store did not change, and the line makes no claim" test "$(digest "$DB")" = "$d0" -a -n "$(grep "File too large$" "$T/err")"
# A build whose ingest changed the store and whose render then fails
# says what it leaves, on the same one line.
mkdir -p "$T/broken"
cp -r site-template/. "$T/broken/"
printf '{{#unclosed}}\n' >"$T/broken/home.mustache"
$FAQTORY build --quiet --db "$T/fresh.db" --out "$T/fresh" --template "$T/broken" "$FIX" 2>"$T/err"
st=$?
check "render fails after a changing ingest: exit 1, one line" test $st -eq 1 -a "$(wc -l <"$T/err")" -eq 1
check "  and the line says what it leaves" grep -q "(the store keeps this build's ingest; the published site is unchanged)$" "$T/err"
check "  site unchanged" test "$(readlink "$T/site")" = "$before"
sh -c "ulimit -f $limit; exec $FAQTORY render --quiet --db '$DB' --out '$T/plain' --template '$T/big'" >/dev/null 2>"$T/err"
st=$?
check "full disk: render exits 1 with one line" test $st -eq 1 -a "$(wc -l <"$T/err")" -eq 1

# ---- item 3: an in-place render writes only through real folders.
# Someone who can write the site plants a symlink to a folder of
# someone else's; the render that follows must not write into it.
$FAQTORY render --quiet --db "$DB" --out "$T/inplace" 2>/dev/null
mkdir -p "$T/elsewhere"
echo mine >"$T/elsewhere/keep.txt"
was=$(tree "$T/elsewhere")
mv "$T/inplace/q" "$T/q.moved"
ln -s "$T/elsewhere" "$T/inplace/q"
check "render through a symlinked folder fails" run 1 render --db "$DB" --out "$T/inplace"
check "  one line naming the symlink" grep -q "inplace/q: is a symlink; faqtory writes its output only through real folders" "$T/err"
check "  the folder it points to is unchanged" test "$(tree "$T/elsewhere")" = "$was"
rm "$T/inplace/q"
tagdir=$(find "$T/inplace/tag" -mindepth 1 -maxdepth 1 -type d | head -1)
tagdir=${tagdir##*/}
mv "$T/inplace/tag/$tagdir" "$T/tag.moved"
ln -s "$T/elsewhere" "$T/inplace/tag/$tagdir"
check "a symlink deeper in the tree fails too" run 1 render --db "$DB" --out "$T/inplace"
check "  naming it" grep -q "inplace/tag/$tagdir: is a symlink" "$T/err"
check "  the folder it points to is unchanged" test "$(tree "$T/elsewhere")" = "$was"
rm "$T/inplace/tag/$tagdir"
$FAQTORY render --quiet --db "$DB" --out "$T/inplace" 2>"$T/err"
check "  with the symlinks gone the render completes" test $? -eq 0 -a -d "$T/inplace/q" -a ! -L "$T/inplace/q"
# A symlink at an unchanged page is not kept: the page replaces it.
cp "$T/inplace/feed.xml" "$T/feed.orig"
ln -sf "$T/elsewhere/keep.txt" "$T/inplace/feed.xml"
$FAQTORY render --quiet --db "$DB" --out "$T/inplace" 2>"$T/err"
check "  a symlink at an unchanged page is replaced by the page" test $? -eq 0 -a ! -L "$T/inplace/feed.xml"
check "  the same page as before" cmp -s "$T/inplace/feed.xml" "$T/feed.orig"
check "  the file it pointed to is unchanged" test "$(tree "$T/elsewhere")" = "$was"

# ---- the report and the site never share a folder.
check "render: report and out the same path refused" run2 render --db "$DB" --out "$T/same" --report "$T/same"
check "  before any lock is taken" test ! -e "$T/same.lock" -a ! -e "$T/same"
check "render: report inside out refused" run2 render --db "$DB" --out "$T/same" --report "$T/same/report"
check "build: out inside the report refused" run2 build --db "$DB" --out "$T/same/site" --report "$T/same/." "$FIX"
check "  before any lock is taken" test ! -e "$T/same.lock" -a ! -e "$T/same"
mkdir -p "$T/real"
ln -s "$T/real" "$T/alias"
check "build: out and report one folder by a symlink refused" run2 build --db "$DB" --out "$T/real/site" --report "$T/alias/site" "$FIX"
printf '[build]\nout = same\nreport = same/../same\nsource = %s\n' "$FIX" >"$T/same.ini"
check "build: config out and report the same refused" run2 build --db "$DB" --config "$T/same.ini"
check "build: report at out.tmp (the symlink publish swaps) refused" run2 build --db "$DB" --out "$T/x" --report "$T/x.tmp" "$FIX"
check "render: report at out.lock refused" run2 render --db "$DB" --out "$T/x" --report "$T/x.lock"

# ---- item 10, the reading side: a nightly build keeps an unchanged
# file by linking it from the previous release, and reads it only
# through real folders beneath that release and only if it is a
# regular file.  Someone who can write the published release plants a
# symlinked folder and a symlink at a kept page; the next build renders
# both pages afresh and publishes nothing from where they point.
$FAQTORY build --quiet --db "$DB" --out "$T/kept" "$FIX" 2>/dev/null
prev=$(readlink -f "$T/kept")
page=$(cd "$prev" && find q -path 'q/*/*/*/index.html' | LC_ALL=C sort | head -1)
src=${page#q/} && src=${src%%/*}
rest=${page#q/"$src"/}
mkdir -p "$T/planted/${rest%/*}"
echo SECRET >"$T/planted/$rest"
mv "$prev/q/$src" "$T/src.moved"
ln -s "$T/planted" "$prev/q/$src"
tagpage=$(cd "$prev" && find tag -name index.html | LC_ALL=C sort | head -1)
echo SECRET >"$T/secret.html"
cp "$prev/$tagpage" "$T/tag.orig"
ln -sf "$T/secret.html" "$prev/$tagpage"
was=$(tree "$T/planted") swas=$(ls -l "$T/secret.html")
$FAQTORY build --quiet --db "$DB" --out "$T/kept" "$FIX" 2>"$T/err"
check "build over a release with planted symlinks exits 0" test $? -eq 0 -a ! -s "$T/err"
new=$(readlink -f "$T/kept")
check "  publishes a new release" test "$new" != "$prev"
check "  no file of it holds what the symlinks point to" test -z "$(grep -Rl SECRET "$new")"
check "  it holds no symlink" test -z "$(find "$new" -type l)"
check "  both pages are rendered afresh" test -f "$new/$page" -a -s "$new/$page" -a -f "$new/$tagpage" -a -s "$new/$tagpage"
check "  the same as the pages they replaced" cmp -s "$new/$page" "$T/src.moved/$rest" && cmp -s "$new/$tagpage" "$T/tag.orig"
check "  the outside folder is untouched" test "$(tree "$T/planted")" = "$was" -a "$(ls -l "$T/secret.html")" = "$swas"

# Old releases are pruned through folders opened without following a
# symlink: a release that is a symlink, or holds one, loses the link,
# never what it points to.
mkdir -p "$T/outside0" "$T/outside1" "$T/kept.releases/01"
echo mine >"$T/outside0/f.txt"
echo mine >"$T/outside1/f.txt"
ln -s "$T/outside0" "$T/kept.releases/0"
ln -s "$T/outside1" "$T/kept.releases/01/q"
$FAQTORY build --quiet --db "$DB" --out "$T/kept" "$FIX" 2>"$T/err"
check "a build prunes planted old releases" test $? -eq 0 -a ! -e "$T/kept.releases/0" -a ! -L "$T/kept.releases/0" -a ! -e "$T/kept.releases/01"
check "  what their symlinks point to survives" test -f "$T/outside0/f.txt" -a -f "$T/outside1/f.txt"
