#!/bin/sh
# systemd: examples/systemd/faqtory-build.service and .timer pass
# `systemd-analyze verify` unchanged, in a scratch root that holds
# /usr/bin/faqtory and its man pages where the Debian package puts them
# (verify checks that ExecStart= is executable and that each
# Documentation= man page exists), and say what the issue asks: a
# dedicated user, Nice=, idle I/O, the lock's exit 3 as success, the
# journal.  A planted typo must make verify complain.
. "$(dirname "$0")/lib.sh"
U=examples/systemd

if ! command -v systemd-analyze >/dev/null 2>&1; then
	notok "systemd-analyze verify" "systemd-analyze is missing (scripts/deps.sh installs systemd)"
	exit 0
fi
R=$T/root
mkdir -p "$R/usr/bin" "$R/usr/share/man/man1" "$R/usr/share/man/man5" \
    "$R/usr/lib/systemd" "$R/etc/systemd/system"
cp faqtory "$R/usr/bin/faqtory"
cp man/faqtory.1 "$R/usr/share/man/man1/"
cp man/faqtory.ini.5 "$R/usr/share/man/man5/"
# systemd's own units (timers.target, sysinit.target ...), as on the host.
cp -R /lib/systemd/system "$R/usr/lib/systemd/"
cp "$U/faqtory-build.service" "$U/faqtory-build.timer" "$R/etc/systemd/system/"

verify() { # UNIT...: verify's output (empty when it passes) in $T/verify
	MANPATH=$R/usr/share/man systemd-analyze verify --root="$R" "$@" \
	    >"$T/verify" 2>&1
}
verify /etc/systemd/system/faqtory-build.service \
    /etc/systemd/system/faqtory-build.timer
st=$?
if [ $st -eq 0 ] && [ ! -s "$T/verify" ]; then
	ok "systemd-analyze verify: service and timer"
else
	notok "systemd-analyze verify: service and timer" "exit $st: $(head -5 "$T/verify")"
fi

S=$U/faqtory-build.service
check "a dedicated user" grep -qx "User=faqtory" "$S"
check "Nice=" grep -Eqx "Nice=[0-9]+" "$S"
check "IOSchedulingClass=idle" grep -qx "IOSchedulingClass=idle" "$S"
check "the lock's exit 3 is success" grep -qx "SuccessExitStatus=3" "$S"
check "logs to the journal" sh -c "grep -qx 'StandardOutput=journal' '$S' &&
    grep -qx 'StandardError=journal' '$S'"
check "ExecStart runs faqtory build" grep -Eq "^ExecStart=/usr/bin/faqtory build " "$S"
check "the timer starts the service nightly, catching up after downtime" \
    sh -c "grep -q '^OnCalendar=' '$U/faqtory-build.timer' &&
    grep -qx 'Persistent=true' '$U/faqtory-build.timer'"

# verify notices a mistake, so its silence above means something.
sed 's/^Nice=/Nicee=/' "$S" >"$R/etc/systemd/system/faqtory-typo.service"
verify /etc/systemd/system/faqtory-typo.service
check "verify reports a planted typo" grep -q "Unknown key 'Nicee'" "$T/verify"
rm -f "$R/usr/bin/faqtory"
verify /etc/systemd/system/faqtory-build.service
check "verify reports a missing binary" test $? -ne 0
