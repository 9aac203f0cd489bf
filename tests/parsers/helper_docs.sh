#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every ctalgd.conf example in the helpers' documentation (doc/helpers/*.md,
# the blocks fenced as ```conf) is accepted by `ctalgd -t`: the Types name
# built-in helpers, the classes exist, the queues agree.
. "$SRCDIR/tests/lib/tap.sh"

ctalgd="$BUILDDIR/daemon/ctalgd"
[ -x "$ctalgd" ] || skip_all "ctalgd is not built"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for doc in "$SRCDIR"/doc/helpers/*.md; do
	[ -f "$doc" ] || continue
	name=$(basename "$doc" .md)
	# Write each ```conf block to its own file: NAME-1.conf, NAME-2.conf...
	awk -v out="$tmp/$name" '
		/^```conf$/ { n++; f = out "-" n ".conf"; inside = 1; next }
		/^```/ { if (inside) close(f); inside = 0; next }
		inside { print > f }
		END { print n + 0 }' "$doc" >"$tmp/$name.count"
	count=$(cat "$tmp/$name.count")
	if [ "$count" -eq 0 ]; then
		not_ok "doc/helpers/$name.md has a ctalgd.conf example (a \`\`\`conf block)"
		continue
	fi
	i=1
	while [ "$i" -le "$count" ]; do
		check "doc/helpers/$name.md: example $i is accepted by ctalgd -t" \
			"$ctalgd" -t -C "$tmp/$name-$i.conf"
		i=$((i + 1))
	done
done
tap_done
