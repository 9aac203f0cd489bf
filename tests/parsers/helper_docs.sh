#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The examples in doc/helpers/*.md cannot rot:
# - every ctalgd.conf block (fenced as ```ctalgd.conf) is accepted by
#   ctalgd -t, and each page has at least one;
# - as root, every nft block (```nft) loads with nft -c, and every
#   iptables line of an ```sh block loads, in a network namespace of
#   their own. The kernel here has no user-space helpers, so the helper
#   names are replaced by the kernel's own tftp (UDP) and ftp (TCP)
#   helpers, which are built in: the rules and their syntax are checked,
#   not the helper.
. "$SRCDIR/tests/lib/tap.sh"
CTALGD=$BUILDDIR/daemon/ctalgd
[ -x "$CTALGD" ] || skip_all "ctalgd is not built"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

rules=yes
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1; then
	rules="not root, or no unshare"
elif ! unshare -n true 2>/dev/null; then
	rules="cannot make a network namespace"
fi

# blocks DOC KIND: write each block fenced as ```KIND to $T/KIND.N
blocks() {
	rm -f "$T/$2".*
	awk -v out="$T/$2." -v kind="$2" '
		$0 == "```" kind { n++; on = 1; next }
		/^```/ { on = 0 }
		on { print > (out n) }' "$1"
}

for doc in "$SRCDIR"/doc/helpers/*.md; do
	[ -e "$doc" ] || skip_all "no page in doc/helpers"
	name=doc/helpers/$(basename "$doc")
	blocks "$doc" ctalgd.conf
	n=0
	for b in "$T"/ctalgd.conf.*; do
		[ -e "$b" ] || continue
		n=$((n + 1))
		check "$name: ctalgd -t accepts example $n" "$CTALGD" -t -C "$b"
	done
	if [ "$n" -gt 0 ]; then
		ok "$name has $n ctalgd.conf example(s)"
	else
		not_ok "$name has a ctalgd.conf example" \
			"no block fenced as \`\`\`ctalgd.conf"
	fi

	blocks "$doc" nft
	for b in "$T"/nft.*; do
		[ -e "$b" ] || continue
		if [ "$rules" != yes ] || ! command -v nft >/dev/null 2>&1; then
			skip "$name: nft example: $rules (or no nft)"
			continue
		fi
		sed -i -E 's/type "[^"]*" protocol udp/type "tftp" protocol udp/;
			s/type "[^"]*" protocol tcp/type "ftp" protocol tcp/' "$b"
		check "$name: the nft example loads (nft -c)" \
			unshare -n nft -c -f "$b"
	done

	blocks "$doc" sh
	for b in "$T"/sh.*; do
		[ -e "$b" ] || continue
		if [ "$rules" != yes ] || ! command -v iptables >/dev/null 2>&1; then
			skip "$name: iptables example: $rules (or no iptables)"
			continue
		fi
		grep -E '^ *ip6?tables ' "$b" | sed -E \
			'/-p tcp/s/--helper [^ ]+/--helper ftp/;
			 /-p udp/s/--helper [^ ]+/--helper tftp/' \
			>"$b.run"
		check "$name: the iptables example loads" \
			unshare -n sh -e "$b.run"
	done
done
# The man pages' examples: ctalgd(8)'s HELPERS Types all in one file, and
# ctalgd.conf(5)'s EXAMPLE, are accepted too.
{
	echo "Helper {"
	sed -n '/^\.SH HELPERS/,/^\.SH /p' "$SRCDIR/doc/ctalgd.8" | grep '^Type '
	echo "}"
} >"$T/man-helpers.conf"
check "ctalgd(8): every Type of HELPERS is accepted ($(grep -c '^Type ' "$T/man-helpers.conf") Types)" \
	"$CTALGD" -t -C "$T/man-helpers.conf"

# ctalgd(8)'s HELPERS rules: the iptables ones run, the nft ones load in one
# table (the helper types replaced as for the pages: this kernel may have
# no user-space helpers).
sed -n '/^\.SH HELPERS/,/^\.SH /p' "$SRCDIR/doc/ctalgd.8" |
	sed -n '/^\.EX/,/^\.EE/p' | grep -v '^\.E[XE]' | sed 's/\\-/-/g' \
	>"$T/man-rules"
if [ "$rules" != yes ] || ! command -v iptables >/dev/null 2>&1 ||
	! command -v nft >/dev/null 2>&1; then
	skip "ctalgd(8): HELPERS rules: $rules (or no iptables or nft)"
	skip "ctalgd(8): HELPERS nft rules: $rules (or no iptables or nft)"
else
	grep -E '^ip6?tables ' "$T/man-rules" | sed -E \
		'/-p tcp/s/--helper [^ ]+/--helper ftp/;
		 /-p udp/s/--helper [^ ]+/--helper tftp/' >"$T/man-rules.sh"
	check "ctalgd(8): the $(grep -c . "$T/man-rules.sh") iptables rules of HELPERS load" \
		unshare -n sh -e "$T/man-rules.sh"
	{
		echo "table inet helpers {"
		grep '^ct helper ' "$T/man-rules" | sed -E \
			's/type "[^"]*" protocol udp/type "tftp" protocol udp/;
			 s/type "[^"]*" protocol tcp/type "ftp" protocol tcp/'
		echo "chain out { type filter hook output priority raw;"
		grep -E 'ct helper set' "$T/man-rules"
		echo "}"
		echo "}"
	} >"$T/man-rules.nft"
	check "ctalgd(8): the nft rules of HELPERS load (nft -c)" \
		unshare -n nft -c -f "$T/man-rules.nft"
fi
sed -n '/^\.SH EXAMPLE/,/^\.SH /p' "$SRCDIR/doc/ctalgd.conf.5" |
	sed -n '/^\.EX/,/^\.EE/p' | grep -v '^\.E[XE]' >"$T/man-example.conf"
check "ctalgd.conf(5): the EXAMPLE is accepted" "$CTALGD" -t -C "$T/man-example.conf"
tap_done
