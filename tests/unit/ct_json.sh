#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ctalg's conntrack JSON for the recorded messages of tests/data, checked
# field by field against what conntrack(8) printed for the same messages.
set -u
D=$SRCDIR/tests/data
command -v python3 >/dev/null 2>&1 || {
	echo "1..0 # SKIP python3 is not installed"
	exit 77
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$CTPRINT" dump json "$D/ct-dump.bin" >"$T/dump.json" || exit 1
"$CTPRINT" events json "$D/ct-events.bin" >"$T/events.json" || exit 1
# One TAP stream: number the checks of both runs in sequence.
{
	python3 "$SRCDIR/tests/unit/ct_json_check.py" "$T/dump.json" \
		"$D/ct-dump-ext.txt" "conntrack -L"
	echo "status $?"
	python3 "$SRCDIR/tests/unit/ct_json_check.py" "$T/events.json" \
		"$D/ct-events-ext.txt" "conntrack -E"
	echo "status $?"
} | awk '
	/^1\.\./ { next }
	/^status / { if ($2 != 0) failed = 1; next }
	/^(not )?ok [0-9]+/ { n++; sub(/^ok [0-9]+/, "ok " n); sub(/^not ok [0-9]+/, "not ok " n) }
	{ print }
	END { print "1.." n; exit failed }'
