#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every ctalgd.conf example in doc/helpers/*.md (a block fenced as
# ```ctalgd.conf) is accepted by ctalgd -t, so the examples users copy
# cannot rot; each page has at least one.
. "$SRCDIR/tests/lib/tap.sh"
CTALGD=$BUILDDIR/daemon/ctalgd
[ -x "$CTALGD" ] || skip_all "ctalgd is not built"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

for doc in "$SRCDIR"/doc/helpers/*.md; do
	[ -e "$doc" ] || skip_all "no page in doc/helpers"
	name=$(basename "$doc" .md)
	rm -f "$T"/block.*
	awk -v out="$T/block." '
		/^```ctalgd\.conf$/ { n++; on = 1; next }
		/^```/ { on = 0 }
		on { print > (out n) }' "$doc"
	n=0
	for b in "$T"/block.*; do
		[ -e "$b" ] || continue
		n=$((n + 1))
		check "doc/helpers/$name.md: ctalgd -t accepts example $n" \
			"$CTALGD" -t -C "$b"
	done
	if [ "$n" -gt 0 ]; then
		ok "doc/helpers/$name.md has $n ctalgd.conf example(s)"
	else
		not_ok "doc/helpers/$name.md has a ctalgd.conf example" \
			"no block fenced as \`\`\`ctalgd.conf"
	fi
done
tap_done
