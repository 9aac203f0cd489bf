# SPDX-License-Identifier: GPL-2.0-or-later
# TAP for shell tests. Source it, call ok/not_ok/check, end with tap_done.
# A failing check prints its diagnostics as "# " lines.

_tap_n=0
_tap_failed=0

# ok DESCRIPTION / not_ok DESCRIPTION [DIAGNOSTIC...]
ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	shift
	for _l in "$@"; do
		printf '%s\n' "$_l" | sed 's/^/# /'
	done
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # SKIP $*"
}

# Skip the whole test: exit 77 with a TAP skip plan.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 77
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# check DESCRIPTION COMMAND...: ok if COMMAND succeeds; on failure its
# output becomes the diagnostic.
check() {
	_desc=$1
	shift
	if _out=$("$@" 2>&1); then
		ok "$_desc"
	else
		not_ok "$_desc" "command: $*" "$_out"
	fi
}

# check_eq DESCRIPTION GOT WANT: exact string comparison, with a diff.
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "--- want" "$3" "+++ got" "$2"
	fi
}

tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}
