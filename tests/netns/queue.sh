#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The packet queue on this machine's kernel: a fresh namespace whose
# ruleset queues the test traffic, and the C program (tests/netns/
# queue_netns.c, given as $1) that sends it, receives it from the queue and
# checks everything it can see. The program prints the TAP.
. "$SRCDIR/tests/lib/tap.sh"
. "$SRCDIR/tests/lib/netns.sh"

prog=$1
[ -x "$prog" ] || skip_all "the test program is missing: $prog"
netns_require nft iptables ip6tables
ns=$(netns_new q) || skip_all "cannot create a namespace"

# Output hook only: the program is both sender and receiver on loopback,
# so each packet is queued once. nft's queue statement where the kernel has
# it, else iptables' NFQUEUE target.
rules_nft() {
	in_ns "$ns" nft -f - 2>/dev/null <<'NFT'
table inet ctalg_queue_test {
	chain out {
		type filter hook output priority 0; policy accept;
		udp dport 5000-5049 queue num 7
		tcp dport 6000 queue num 7
		udp dport 5050-5099 queue num 8
	}
}
NFT
}
rules_xt() {
	for ipt in iptables ip6tables; do
		in_ns "$ns" $ipt -A OUTPUT -p udp --dport 5000:5049 \
			-j NFQUEUE --queue-num 7 &&
		in_ns "$ns" $ipt -A OUTPUT -p tcp --dport 6000 \
			-j NFQUEUE --queue-num 7 &&
		in_ns "$ns" $ipt -A OUTPUT -p udp --dport 5050:5099 \
			-j NFQUEUE --queue-num 8 || return 1
	done
}
if rules_nft; then
	diag "queueing with nft"
elif rules_xt; then
	diag "queueing with iptables (no nft queue statement in this kernel)"
else
	skip_all "neither nft nor iptables can queue packets here"
fi

in_ns "$ns" "$prog"
status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
	diag "ruleset:" "$(in_ns "$ns" nft list ruleset 2>&1)"
	diag "iptables:" "$(in_ns "$ns" iptables-save 2>&1)" \
		"$(in_ns "$ns" ip6tables-save 2>&1)"
	diag "queues:" "$(in_ns "$ns" cat /proc/net/netfilter/nfnetlink_queue 2>&1)"
fi
exit "$status"
