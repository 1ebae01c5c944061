#!/bin/sh
# deb: `make deb` (scripts/deb.sh: dpkg-buildpackage -us -uc -b on a copy
# of the tree, then lintian) builds faqtory_VERSION_ARCH.deb without
# touching the checkout; its dependencies cover every library the binary
# links (from shlibs); it holds the man pages, the theme under
# /usr/share/faqtory and the examples under /usr/share/doc/faqtory/examples;
# `dpkg -i` into a scratch root installs it, and the installed faqtory
# prints its version and builds the demo from the packaged examples with
# the packaged theme; the packaged systemd units verify; every tag lintian
# prints is listed in README.md with its reason.
. "$(dirname "$0")/lib.sh"

for tool in dpkg-buildpackage dh lintian; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		# Not a Debian build machine: scripts/deps.sh installs them.
		ok "deb # SKIP $tool is missing"
		exit 0
	fi
done
ROOT=$PWD
VERSION=$(sed -n 's/^VERSION *= *//p' Makefile)
ARCH=$(dpkg-architecture -qDEB_HOST_ARCH)
DEB=$T/deb/faqtory_${VERSION}_$ARCH.deb

git_state() { git status --porcelain --ignored=no 2>/dev/null | LC_ALL=C sort; }
before=$(git_state)
make -s deb DEB_DIR="$T/deb" >"$T/make.log" 2>&1
st=$?
check "make deb exits 0" test $st -eq 0
[ $st -eq 0 ] || { tail -30 "$T/make.log"; exit 0; }
check "faqtory_${VERSION}_$ARCH.deb built" test -f "$DEB"
check "the version is debian/changelog's" \
    test "$(dpkg-parsechangelog -S Version)" = "$VERSION"
check "the checkout is as it was (git status)" test "$(git_state)" = "$before"

# Dependencies: the package of every library the binary needs is in
# Depends (dpkg-shlibdeps), serve's dlopened libmicrohttpd in Recommends.
dpkg-deb -x "$DEB" "$T/x"
deps=$(dpkg-deb -f "$DEB" Depends)
missing=""
for lib in $(objdump -p "$T/x/usr/bin/faqtory" | awk '$1 == "NEEDED" { print $2 }'); do
	path=$(ldd "$T/x/usr/bin/faqtory" | awk -v l="$lib" '$1 == l { print $3 }')
	# As ldd names it, else resolved (merged /usr: dpkg knows one of them).
	pkg=$({ dpkg -S "$path" || dpkg -S "$(readlink -f "$path")"; } 2>/dev/null |
	    head -1 | cut -d: -f1)
	if [ -z "$pkg" ] || ! echo "$deps" | grep -Eq "(^|[ ,])$pkg( |,|$)"; then
		missing="$missing $lib(${pkg:-no package})"
	fi
done
check "Depends covers every linked library ($deps)" test -z "$missing"
check "Recommends libmicrohttpd12 (serve)" \
    sh -c "dpkg-deb -f '$DEB' Recommends | grep -q libmicrohttpd12"

dpkg-deb -c "$DEB" | awk '{ print $6 }' >"$T/contents"
for f in ./usr/bin/faqtory ./usr/share/man/man1/faqtory.1.gz \
    ./usr/share/man/man5/faqtory.ini.5.gz \
    ./usr/share/faqtory/site-template/base.mustache \
    ./usr/share/faqtory/site-template/locales/en.json \
    ./usr/share/faqtory/site-template/report/brief.mustache \
    ./usr/share/bash-completion/completions/faqtory \
    ./usr/share/doc/faqtory/copyright \
    ./usr/share/doc/faqtory/examples/faqtory.ini \
    ./usr/share/doc/faqtory/examples/beer.stackexchange.com.7z \
    ./usr/share/doc/faqtory/examples/systemd/faqtory-build.service \
    ./usr/share/doc/faqtory/examples/systemd/faqtory-build.timer; do
	check "packaged: $f" grep -qxF "$f" "$T/contents"
done

# dpkg -i into a scratch root (its own database: nothing on this machine
# changes; the libraries are this machine's, hence --force-depends).
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: >"$R/var/lib/dpkg/status"
: >"$R/var/lib/dpkg/available"
if [ "$(id -u)" = 0 ]; then
	dpkg --root="$R" --force-depends --log=/dev/null -i "$DEB" \
	    >"$T/dpkg.log" 2>&1
	check "dpkg -i into a scratch root" test $? -eq 0
	check "dpkg lists it installed" \
	    sh -c "dpkg --root='$R' -s faqtory | grep -qx 'Status: install ok installed'"
else
	dpkg-deb -x "$DEB" "$R"
	ok "unpacked into a scratch root (dpkg -i needs root)"
fi
"$R/usr/bin/faqtory" --version >"$T/version" 2>&1
check "the packaged faqtory prints its version" \
    grep -qx "faqtory $VERSION" "$T/version"
check "... and finds the packaged theme" grep -qxF \
    "theme: $R/usr/share/faqtory/site-template (relative to the binary)" "$T/version"

# The demo, as a user would run it: the packaged examples copied.
mkdir -p "$T/demo/examples" "$T/demo/demo-out" "$T/cwd"
cp "$R/usr/share/doc/faqtory/examples/faqtory.ini" \
    "$R/usr/share/doc/faqtory/examples/beer.stackexchange.com.7z" \
    "$T/demo/examples/"
cd "$T/cwd" || exit 1
"$R/usr/bin/faqtory" build --config "$T/demo/examples/faqtory.ini" \
    >"$T/build.log" 2>&1
check "the packaged faqtory builds the demo" test $? -eq 0
check "... with the packaged theme" cmp -s \
    "$R/usr/share/faqtory/site-template/site.css" "$T/demo/demo-out/site/assets/site.css"
check "... publishing entries" test -d "$T/demo/demo-out/site/q/beer"
cd "$ROOT" || exit 1

# The packaged units, verified where the package put the binary.
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$R/usr/lib/systemd" "$R/etc/systemd/system"
	cp -R /lib/systemd/system "$R/usr/lib/systemd/"
	cp "$R/usr/share/doc/faqtory/examples/systemd/"* "$R/etc/systemd/system/"
	MANPATH=$R/usr/share/man systemd-analyze verify --root="$R" \
	    /etc/systemd/system/faqtory-build.service \
	    /etc/systemd/system/faqtory-build.timer >"$T/verify" 2>&1
	check "systemd-analyze verify on the packaged units" \
	    sh -c "[ $? -eq 0 ] && [ ! -s '$T/verify' ]"
fi

# lintian: each tag it printed is listed in README.md's table.
echo "lintian output:"
sed 's/^/  /' "$T/deb/lintian.txt"
tags=$(sed -n 's/^[EWIPX]: faqtory[^:]*: \([a-z0-9-]*\).*/\1/p' \
    "$T/deb/lintian.txt" | LC_ALL=C sort -u)
unlisted=""
for t in $tags; do
	grep -q "^| \`$t\`" README.md || unlisted="$unlisted $t"
done
check "every lintian tag is listed in README.md with its reason" \
    test -z "$unlisted"
check "lintian reports no error or warning" \
    sh -c "! grep -q '^[EW]: ' '$T/deb/lintian.txt'"
