#!/bin/sh
# install: `make install` into a DESTDIR, the tree moved elsewhere, and the
# installed faqtory building the demo config from an unrelated working
# folder with the installed theme (a marker planted in the installed
# stylesheet must reach the site); where --version says the theme is; the
# FAQTORY_DATADIR override winning, and failing with its path when it
# holds no theme; `make uninstall` leaving nothing.  Runs the plain build
# (the one `make install` installs).
. "$(dirname "$0")/lib.sh"
ROOT=$PWD

make -s install DESTDIR="$T/stage" >"$T/make.log" 2>&1
check "make install into a DESTDIR exits 0" test $? -eq 0
P=$T/stage/usr/local
for f in bin/faqtory share/faqtory/site-template/base.mustache \
    share/faqtory/site-template/site.css \
    share/faqtory/site-template/locales/en.json \
    share/faqtory/site-template/locales/id.json \
    share/faqtory/site-template/report/brief.mustache \
    share/man/man1/faqtory.1 share/man/man5/faqtory.ini.5 \
    share/bash-completion/completions/faqtory; do
	check "installed: $f" test -f "$P/$f"
done
check "the binary is executable" test -x "$P/bin/faqtory"
n=$(cd site-template && find . -type f | wc -l)
m=$(cd "$P/share/faqtory/site-template" && find . -type f | wc -l)
check "every theme file installed ($m of $n)" test "$n" -eq "$m"

# Relocated: the staging tree moved, nothing of it where it was built.
mkdir -p "$T/elsewhere"
mv "$P" "$T/elsewhere/opt"
rm -rf "$T/stage"
Q=$T/elsewhere/opt
THEME=$Q/share/faqtory/site-template
printf '\n/* installed-theme-marker */\n' >>"$THEME/site.css"

# The demo config and dump in their own folder; the build runs from
# another one that holds no theme.
mkdir -p "$T/conf" "$T/demo-out" "$T/cwd"
cp examples/faqtory.ini examples/beer.stackexchange.com.7z "$T/conf/"
cd "$T/cwd" || exit 1
"$Q/bin/faqtory" --version >"$T/version" 2>&1
check "--version prints the version" grep -qx "faqtory [0-9][0-9.]*" "$T/version"
check "--version: the moved install's theme, relative to the binary" \
    grep -qxF "theme: $THEME (relative to the binary)" "$T/version"
"$Q/bin/faqtory" build --quiet --config "$T/conf/faqtory.ini" >"$T/out" 2>&1
check "the installed faqtory builds the demo from an unrelated folder" \
    test $? -eq 0
SITE=$T/demo-out/site
check "the site's stylesheet is the installed theme's (marker)" \
    grep -q installed-theme-marker "$SITE/assets/site.css"
check "the site's stylesheet is byte for byte the installed one" \
    cmp -s "$THEME/site.css" "$SITE/assets/site.css"
check "entries published" sh -c "ls '$SITE/q/beer/' | grep -q '^[0-9]'"
check "the report is rendered from the installed report templates" \
    test -f "$T/demo-out/report/index.html"
check "nothing written in the working folder" \
    sh -c "[ -z \"\$(ls -A '$T/cwd')\" ]"

# A symlink to the binary still finds the theme (/proc/self/exe).
mkdir -p "$T/links"
ln -s "$Q/bin/faqtory" "$T/links/faqtory"
"$T/links/faqtory" --version >"$T/version" 2>&1
check "through a symlink: the theme beside the real binary" \
    grep -qxF "theme: $THEME (relative to the binary)" "$T/version"

# FAQTORY_DATADIR wins over the theme beside the binary.
mkdir -p "$T/data"
cp -R "$THEME" "$T/data/site-template"
printf '\n/* datadir-marker */\n' >>"$T/data/site-template/site.css"
FAQTORY_DATADIR=$T/data "$Q/bin/faqtory" --version >"$T/version" 2>&1
check "--version names the FAQTORY_DATADIR theme" \
    grep -qxF "theme: $T/data/site-template (FAQTORY_DATADIR)" "$T/version"
FAQTORY_DATADIR=$T/data "$Q/bin/faqtory" build --quiet \
    --config "$T/conf/faqtory.ini" >"$T/out" 2>&1
check "FAQTORY_DATADIR: the build uses its theme" \
    grep -q datadir-marker "$SITE/assets/site.css"
before=$(readlink "$SITE")
FAQTORY_DATADIR=$T/nothing "$Q/bin/faqtory" build --quiet \
    --config "$T/conf/faqtory.ini" >"$T/out" 2>"$T/err"
st=$?
check "FAQTORY_DATADIR without a theme: exit 1" test $st -eq 1
check "... naming the folder it was told" \
    grep -qxF "faqtory: $T/nothing/site-template: theme folder not found" "$T/err"
check "... and the published site is unchanged" test "$(readlink "$SITE")" = "$before"
FAQTORY_DATADIR=$T/nothing "$Q/bin/faqtory" --version >"$T/version" 2>&1
check "--version says when the theme is not found" \
    grep -qxF "theme: $T/nothing/site-template (FAQTORY_DATADIR; not found)" "$T/version"

# From the checkout, the binary under test finds ./site-template.
cd "$ROOT" || exit 1
$FAQTORY --version >"$T/version" 2>"$T/verr"
st=$?
check "the checkout's build finds the checkout's theme" \
    grep -qxF "theme: $ROOT/site-template (relative to the binary)" "$T/version"
check "... exit 0, nothing on stderr" sh -c "[ $st -eq 0 ] && [ ! -s '$T/verr' ]"

# A binary copied alone (the issue's `cp faqtory /opt/x/`) finds the
# theme of the PREFIX it was built for: datadir.o built for another
# PREFIX (the Makefile's own rule, into a build tree of its own) and
# linked with the rest of the plain build.
make -s B="$T/b" PREFIX="$T/prefix" "$T/b/render/datadir.o" >"$T/make.log" 2>&1
mkdir -p "$T/lonely"
# shellcheck disable=SC2046
cc -o "$T/lonely/faqtory" build/faqtory.o "$T/b/render/datadir.o" \
    build/libfaqtory.a $(pkg-config --libs sqlite3 libxml-2.0 libcmark \
    libarchive jansson zlib) -lstemmer -lpthread -lm 2>>"$T/make.log"
check "a binary built for another PREFIX" test -x "$T/lonely/faqtory"
mkdir -p "$T/prefix/share/faqtory"
cp -R site-template "$T/prefix/share/faqtory/"
cd "$T/cwd" || exit 1
"$T/lonely/faqtory" --version >"$T/version" 2>&1
check "a lone binary: the compiled-in PREFIX's theme" grep -qxF \
    "theme: $T/prefix/share/faqtory/site-template (compiled-in $T/prefix/share/faqtory)" \
    "$T/version"
rm -rf "$T/prefix"
"$T/lonely/faqtory" --version >"$T/version" 2>&1
check "a lone binary, nothing installed: --version says so" \
    grep -qxF "theme: site-template (working folder; not found)" "$T/version"
"$T/lonely/faqtory" build --quiet --config "$T/conf/faqtory.ini" >"$T/out" 2>"$T/err"
check "... and a build fails with one line" \
    sh -c "[ \$(wc -l <'$T/err') -eq 1 ] && grep -qxF 'faqtory: site-template: theme folder not found' '$T/err'"
cd "$ROOT" || exit 1

# make uninstall removes every file make install placed.
make -s install DESTDIR="$T/stage2" PREFIX=/usr/local >"$T/make.log" 2>&1
make -s uninstall DESTDIR="$T/stage2" PREFIX=/usr/local >>"$T/make.log" 2>&1
check "make uninstall leaves no file" \
    sh -c "[ -z \"\$(find '$T/stage2' -type f)\" ]"
