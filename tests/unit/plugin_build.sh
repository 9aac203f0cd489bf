#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ferry example builds outside the tree with its own Makefile, as the
# helper guide says, and ctalgd loads it from its HelperDirectory.
. "$SRCDIR/tests/lib/tap.sh"
command -v make >/dev/null 2>&1 || skip_all "make is not installed"
command -v cc >/dev/null 2>&1 || skip_all "no C compiler (cc)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CTALGD=$BUILDDIR/daemon/ctalgd

cp "$SRCDIR/examples/ferry/ferry.c" "$SRCDIR/examples/ferry/Makefile" "$T/"
check "make builds ferry.so out of the tree" \
	make -C "$T" CTALG_CFLAGS="-I$SRCDIR/include"
cat >"$T/ctalgd.conf" <<EOC
General { HelperDirectory $T }
Helper { Type ferry inet tcp { QueueNum 3 } }
EOC
out=$("$CTALGD" -L -C "$T/ctalgd.conf" 2>&1)
check_eq "ctalgd -L lists it with its path" \
	"$(printf '%s\n' "$out" | grep '^ferry ')" \
	"ferry           tcp inet,inet6 ports 7070 classes ferry(max 1, 60s) [$T/ferry.so]"
check "ctalgd -t accepts a Type of it" "$CTALGD" -t -C "$T/ctalgd.conf"
sed -i 's/ferry inet tcp/ferri inet tcp/' "$T/ctalgd.conf"
"$CTALGD" -t -C "$T/ctalgd.conf" >"$T/out" 2>&1
rc=$?
check_eq "a Type of a helper nobody provides is refused with its line" \
	"$(grep -v ' ctalgd info: ' "$T/out"; echo "rc=$rc")" \
	"ctalgd: $T/ctalgd.conf:2: Type ferri tcp: no such helper
rc=1"
tap_done
