#!/bin/sh
# make deb: builds the Debian package with `dpkg-buildpackage -us -uc -b`
# on a copy of the tree in a temporary folder, so the build leaves nothing
# in the checkout, then runs lintian on it.
#
#   sh scripts/deb.sh [OUT]     (default OUT: build/deb)
#
# OUT receives faqtory_VERSION_ARCH.deb, faqtory-dbgsym's package, the
# .buildinfo and .changes, the build log (build.log) and lintian's output
# (lintian.txt, also printed).
# Needs dpkg-dev, debhelper and lintian (scripts/deps.sh installs them);
# no network.
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)

version=$(sed -n 's/^VERSION *= *//p' Makefile)
changelog=$(dpkg-parsechangelog -S Version)
if [ "$version" != "$changelog" ]; then
	echo "deb: Makefile VERSION is $version, debian/changelog $changelog" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/faqtory-$version
mkdir "$src"
# The tree as it is (committed or not), without what git ignores (build
# trees, node_modules, stores); a tree that is no git checkout is copied
# without those by name.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
	    tar --null -T - --ignore-failed-read -cf - 2>/dev/null |
	    tar -xf - -C "$src"
else
	tar --exclude=./.git --exclude='./build*' --exclude=./node_modules \
	    --exclude=./faqtory --exclude=./demo-out -cf - . |
	    tar -xf - -C "$src"
fi

# The package's own make runs must not join this one's job server.
unset MAKEFLAGS MFLAGS MAKELEVEL
echo "deb: dpkg-buildpackage -us -uc -b (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b -jauto) >"$out/build.log" 2>&1
then
	tail -40 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed" >&2
	exit 1
fi
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=faqtory_${version}_$arch.deb
# The package, its debug symbols' package, .buildinfo and .changes.
mv "$tmp"/faqtory*_"$version"_* "$out/"
# Every tag lintian prints (errors, warnings, info, pedantic); the README
# lists each one that remains with its reason.
lintian --display-info --pedantic "$out/$deb" >"$out/lintian.txt" 2>&1 ||
	true
echo "deb: $out/$deb"
echo "deb: lintian:"
sed 's/^/  /' "$out/lintian.txt"
