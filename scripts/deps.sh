#!/bin/sh
# Installs the Debian packages faqtory needs to build, test, package and bench,
# when they are missing.  As root it runs apt-get; otherwise it prints
# the exact command to run.  Then the npm packages for the browser tests
# go into the repository's own node_modules (never a browser download:
# the tests drive Debian's chromium).
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libsqlite3-dev sqlite3 libxml2-dev libxml2-utils libcmark-dev
libarchive-dev libstemmer-dev libmicrohttpd-dev libjansson-dev zlib1g-dev
python3 p7zip-full valgrind hyperfine time
chromium hugo
mandoc dpkg-dev debhelper fakeroot lintian systemd"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
# Node.js and npm may come from elsewhere than Debian (a newer npm):
# only ask Debian for them when there are none at all.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "deps: missing Debian packages; run:"
		echo "  sudo apt-get install -y$missing"
		exit 1
	fi
fi

if [ -f package.json ] && [ ! -d node_modules/playwright-core ]; then
	echo "deps: npm ci (playwright-core, axe-core; no browser download)"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
fi
echo "deps: ok"
