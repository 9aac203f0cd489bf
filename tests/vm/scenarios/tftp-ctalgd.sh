# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd's tftp helper on a router whose forward policy is drop: tftpd-hpa
# on the server, tftp-hpa on the client reading a file through the
# router, over IPv4 and IPv6, with the iptables and the nft ruleset of
# doc/helpers/tftp.md (raw PREROUTING / a prerouting chain attaching the
# helper to udp/69, RELATED accepted in forward). This is where a user
# needs the helper: the server answers from a new port of its own, a new
# connection to the firewall, which only the helper's expectation (server,
# any port -> the client's port) lets through. The expectation is read
# while the server's first answer is held (iptables; nft: the reads
# only), then the file must arrive intact. A request from a privileged
# port (900) must be refused by the port floor (`ctalg status` counts
# it) and its answer dropped; without the helper attached the reads must
# fail. Then conntrackd's tftp plugin in the same boot, on the same
# reads: its expectations must equal ctalgd's field by field (the
# ephemeral ports aside), and it opens the port-900 request (no port
# floor: its known defect).
# vm-packages: conntrackd tftpd-hpa tftp-hpa
# vm-programs: conntrackd in.tftpd tftp
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_tftp.so

net_setup || return 1

tftpd_start

ctalgd_start "tftp inet udp" "tftp inet6 udp" || return 1

# A read request (1) for "data.bin" in "octet" mode, from the client's
# port 900.
RRQ=hex:0001646174612e62696e006f6374657400
rrq_900() {
	in_ns client vm-udp ask -p 900 -t "$2" "$1" 69 "$RRQ"
}

# family_vars 4|6: the addresses and the full mask of that family.
family_vars() {
	if [ "$1" = 4 ]; then
		client=$CLIENT4 server=$SERVER4 mask=255.255.255.255
	else
		client=$CLIENT6 server=$SERVER6
		mask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
	fi
}

# held_get NAME FAMILY: a read with the server's answers held until its
# expectation is checked (kept in EXP_NAME_FAMILY) and `ctalg expect
# list` compared with `conntrack -L expect`; then the file.
held_get() {
	family_vars "$2"
	hold server udp sport != 69
	background "get-$1-$2" tftp_get "$server" "/tmp/vm/tftp-$1-$2.out" 20
	if expect_check "$1, IPv$2: expectation server -> client" \
		router proto=17 src=$server dst=$client sport=0 \
		mask-src=$mask mask-sport=0 mask-dport=65535 \
		master-src=$client master-dst=$server master-dport=69 \
		class=0 helper=tftp; then
		eval "EXP_$1_$2=\$EXPECT_FOUND"
		check_eq "$1, IPv$2: the expected port is the client's" \
			"$(field "$EXPECT_FOUND" dport)" \
			"$(field "$EXPECT_FOUND" master-sport)"
	fi
	expect_same "$1, IPv$2: ctalg expect list = conntrack -L expect" \
		router ipv$2
	release server
	finish "get-$1-$2" 30
	check_eq "$1, IPv$2: the file arrives intact" "$?" 0
}

for variant in iptables nft; do
	router_flush
	check "$variant: ruleset attaching tftp to udp/69" \
		router_rules "$variant" udp/69=tftp
	seq0=$(queue_stat 0 seq)
	if [ "$variant" = iptables ]; then
		held_get "$variant" 4
		held_get "$variant" 6
	else
		# Each held read waits for tftpd's retransmission: the
		# expectations were read with iptables, here the reads.
		check "$variant, IPv4: the file arrives intact" \
			tftp_get "$SERVER4" /tmp/vm/tftp-nft-4.out 20
		check "$variant, IPv6: the file arrives intact" \
			tftp_get "$SERVER6" /tmp/vm/tftp-nft-6.out 20
	fi
	queue_check "$variant: ctalgd saw the packets (queue 0)" 0 "$seq0"
done

# The port floor: the server answers a request from port 900 from a new
# port, to client:900, which ctalgd will not open.
router_flush
dropped=$(router_dropped)
check_fails "nft, request from port 900: no answer passes" rrq_900 "$SERVER4" 3
check "nft, request from port 900: no expectation" test -z "$(expect_list router)"
check "nft, request from port 900: the router dropped the answer" \
	test "$(router_dropped)" -gt "$dropped"

# A client retransmits its request while the answers are held, and each
# request asks again (replacing the expectation): every request parsed
# made one expectation, but the port-900 one.
for f in inet inet6; do
	created=$(ctalgd_stat tftp $f expectations_created)
	parsed=$(ctalgd_stat tftp $f parsed)
	refused=$(ctalgd_stat tftp $f expectations_refused)
	check "ctalg status, $f: an expectation per request parsed but the refused ones, 2 reads at least" \
		test "$created" -ge 2 -a "$((created + refused))" = "$parsed" \
		-a "$(ctalgd_stat tftp $f packets)" -ge "$parsed"
	diag "$f: parsed $parsed, created $created, refused $refused"
done
check_eq "ctalg status: the port-900 request refused by the port floor" \
	"$(ctalgd_stat tftp inet refused.port) $(ctalgd_stat tftp inet6 refused.port)" \
	"1 0"
check_eq "ctalg status: nothing else refused, nothing malformed" \
	"$(ctalgd_stat tftp inet expectations_refused) $(ctalgd_stat tftp inet6 expectations_refused) $(ctalgd_stat tftp inet parse_errors) $(ctalgd_stat tftp inet6 parse_errors)" \
	"1 0 0 0"
diag "$(ctalg status socket $CTALGD_SOCK)"
refused900=$(ctalgd_stat tftp inet refused.port)

# Negative controls (the guest library's tftp_negative).
tftp_negative 3

# The reference on the same reads. ctalgd leaves its helpers registered
# (disabled) when it stops: they go, with every rule and connection that
# holds them, before conntrackd registers its own.
ctalgd_stop
router_rules iptables
router_flush
check "ctalgd's helpers deleted" ctalg helper delete tftp
conntrackd_start "tftp inet udp" "tftp inet6 udp" || return 1
check "conntrackd: ruleset attaching tftp to udp/69" \
	router_rules iptables udp/69=tftp

# without_ports LINE: the line without the ephemeral port fields.
without_ports() {
	printf '%s\n' "$1" | tr ' ' '\n' | grep -v -e '^dport=' -e '^master-sport=' |
		tr '\n' ' '
}

for family in 4 6; do
	family_vars $family
	hold server udp sport != 69
	background "ref-$family" tftp_get "$server" "/tmp/vm/ref-$family.out" 20
	if expect_check "conntrackd, IPv$family: expectation server -> client" \
		router proto=17 src=$server dst=$client master-dport=69 helper=tftp; then
		eval "ours=\$EXP_iptables_$family"
		check_eq "conntrackd, IPv$family: the same expectation as ctalgd's (ports aside)" \
			"$(without_ports "$EXPECT_FOUND")" "$(without_ports "$ours")"
	fi
	release server
	finish "ref-$family" 30
	check_eq "conntrackd, IPv$family: the file arrives intact" "$?" 0
done

# conntrackd's defect: no port floor. Its expectation lets the answer to
# client:900 through; ctalgd refused the same request above.
router_flush
if rrq_900 "$SERVER4" 3 >/dev/null; then
	diag "conntrackd: the answer to the client's port 900 passed"
else
	diag "conntrackd: the answer to the client's port 900 did not pass"
fi
check_eq "port-900 request: ctalgd refused what conntrackd opens (no port floor in the reference)" \
	"$refused900" 1
