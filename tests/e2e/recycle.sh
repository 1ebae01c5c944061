#!/bin/sh
# recycle: a build updates the release before the current one in place
# (render/publish.c, render_release_recycle) instead of filling a fresh
# folder, and publishes exactly what a fresh folder would hold: the same
# builds made with the older release removed before each one (so every
# staging folder is fresh) give the same published tree and the same
# previous release, build after build.  A symlink planted in the older
# release, or a file edited in it, never reaches the new one.
. "$(dirname "$0")/lib.sh"
BEER=$DATA/beer.stackexchange.com

mkdir -p "$T/a/beer"
cp "$BEER/Posts.xml" "$T/a/beer/Posts.xml"
python3 bench/nightly.py "$T/a" "$T/b" 5 3 >/dev/null

tree() { (cd "$1/" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16); }
# build DIR SOURCE [fresh]: one build into DIR/site; fresh: the releases
# other than the current one are removed first.  Prints pages written.
build() {
	if [ "${3:-}" = fresh ] && [ -L "$1/site" ]; then
		cur=$(readlink "$1/site"); cur=${cur##*/}
		for d in "$1"/site.releases/[0-9]*; do
			[ "${d##*/}" = "$cur" ] || rm -rf "$d"
		done
	fi
	$FAQTORY build --db "$1/s.db" --out "$1/site" "$2" 2>"$T/err" ||
		{ notok "build $*" "$(head -c 300 "$T/err")"; return 1; }
	sed -n 's/^render: \([0-9]*\) written.*/\1/p' "$T/err"
}
prev() { # DIR: the release before the current one
	cur=$(readlink "$1/site"); cur=${cur##*/}
	for d in "$1"/site.releases/[0-9]*; do
		[ "${d##*/}" = "$cur" ] || echo "$d"
	done
}

mkdir -p "$T/x" "$T/y"
n=0 bad=0 less=0
for s in a b a b a; do
	n=$((n + 1))
	wx=$(build "$T/x" "$T/$s/beer")
	wy=$(build "$T/y" "$T/$s/beer" fresh)
	[ "$(tree "$T/x/site")" = "$(tree "$T/y/site")" ] || bad=$((bad + 1))
	if [ $n -ge 3 ]; then
		[ "$(tree "$(prev "$T/x")")" = "$(tree "$(prev "$T/y")")" ] ||
			bad=$((bad + 1))
		[ "$wx" -lt "$wy" ] && less=$((less + 1))
	fi
done
check "5 builds: published trees and previous releases as with fresh folders" \
	[ $bad -eq 0 ]
check "from the third build the older release is updated in place: fewer pages written ($less of 3 builds)" \
	[ $less -eq 3 ]
check "two releases kept" [ "$(ls "$T/x/site.releases" | grep -c '^[0-9]*$')" = 2 ]

# Someone who can write the published folders plants a symlink to a
# file outside and edits a page in the release the next build recycles.
old=$(prev "$T/x")
page=$(cd "$old" && find q -name index.html | LC_ALL=C sort | head -1)
page2=$(cd "$old" && find q -name index.html | LC_ALL=C sort | sed -n 2p)
echo secret >"$T/outside"
rm "$old/$page" && ln -s "$T/outside" "$old/$page"
dir=$(dirname "$page2")
mv "$old/$dir" "$T/moved" && ln -s "$T/moved" "$old/$dir"
build "$T/x" "$T/b/beer" >/dev/null
build "$T/y" "$T/b/beer" fresh >/dev/null
check "after planted symlinks: the same tree as with a fresh folder" \
	[ "$(tree "$T/x/site")" = "$(tree "$T/y/site")" ]
check "no symlink in the published release" \
	[ -z "$(find "$T/x/site/" -type l)" ]
check "the file outside is untouched" [ "$(cat "$T/outside")" = secret ]

# A build that fails after recycling (a template that does not parse)
# leaves the published release, and the next good build is whole.
cur=$(tree "$T/x/site")
mkdir -p "$T/theme"
printf '{{#broken}}\n' >"$T/theme/entry.mustache"
$FAQTORY build --db "$T/x/s.db" --out "$T/x/site" --template "$T/theme" \
	"$T/a/beer" 2>"$T/err"
check "a broken theme fails the build, naming the template" \
	sh -c "[ $? -eq 1 ] && grep -q 'entry.mustache' '$T/err'"
check "a failed build leaves the published release" \
	[ "$(tree "$T/x/site")" = "$cur" ]
build "$T/x" "$T/a/beer" >/dev/null
build "$T/y" "$T/a/beer" fresh >/dev/null
check "the next build: the same tree as with a fresh folder" \
	[ "$(tree "$T/x/site")" = "$(tree "$T/y/site")" ]
