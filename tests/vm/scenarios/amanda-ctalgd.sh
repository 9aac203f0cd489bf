# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd's amanda helper on the router, between a backup server (in the
# client namespace) and amandad (in the server namespace), both vm-amanda
# (tests/vm/tools): Amanda's own packages need a whole backup setup and
# their server side is Perl, so these speak the datagrams the helper reads
# (the "bsd"/"bsdudp" authentications on UDP port 10080) and really open
# the streams they announce. The backup server sends a sendbackup REQ;
# amandad answers ACK, then a REP whose CONNECT line announces five TCP
# streams (DATA, MESG, INDEX, STATE, CMD: Amanda 3.4 and later) on ports
# it listens on; the backup server reads every stream, through a router
# that drops every forwarded connection it does not know as ESTABLISHED
# or RELATED. Over IPv4 and IPv6, with the iptables and the nft ruleset:
# the five expectations are read field by field while the backup server
# waits, then every stream must arrive intact. Then conntrackd's amanda
# helper on the same traffic, whose defects are named; and without a
# helper attached no stream can be opened.
# vm-packages: conntrackd
# vm-programs: conntrackd
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_amanda.so

BASE=41001
TAGS="DATA MESG INDEX STATE CMD"

command -v vm-amanda >/dev/null || skip_all "vm-amanda was not built"
net_setup || return 1
spawn amandad server vm-amanda amandad $BASE
check "amandad listens on udp port 10080" wait_port server udp 10080

# family 4|6
family() {
	if [ "$1" = 6 ]; then
		client=$CLIENT6 server=$SERVER6
		mask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
	else
		client=$CLIENT4 server=$SERVER4
		mask=255.255.255.255
	fi
}

has_rep() {
	grep -q '^CONNECT ' "$VM_LOG/$1.log"
}

# backup WHO FAMILY N: the backup server asks amandad of FAMILY for a
# backup and waits for /tmp/vm/go-WHO once the REP is in; the router's
# expectations (at least N of them) are then in $EXPECT_SNAP.
backup() {
	family "$2"
	rm -f "/tmp/vm/go-$1"
	spawn "$1" client vm-amanda server "$server" "/tmp/vm/go-$1"
	wait_for 10 has_rep "$1" || diag "$1: no REP: $(cat "$VM_LOG/$1.log")"
	expect_snapshot router "$3"
}

# streams WHO FAMILY: let the backup server open its streams; every one
# must arrive intact.
streams() {
	touch "/tmp/vm/go-$1"
	finish "$1" 20
	check "$1, IPv$2: all five streams arrive intact over the expected connections" \
		test "$?" = 0 -a "$(grep -c ' ok ' "$VM_LOG/$1.log")" = 5
	diag "$(cat "$VM_LOG/$1.log")"
}

ctalgd_start "amanda inet udp" "amanda inet6 udp" || return 1
for variant in iptables nft; do
	router_flush
	check "$variant: ruleset attaching amanda to udp/10080" \
		router_rules "$variant" udp/10080=amanda
	seq0=$(queue_stat 0 seq)
	for f in 4 6; do
		who=ctalgd-$variant-$f
		backup $who $f 5
		port=$BASE
		for tag in $TAGS; do
			expect_check_in "$who: expectation $tag: backup server -> amandad:$port" \
				proto=6 src=$client dst=$server sport=0 \
				dport=$port mask-src=$mask mask-dst=$mask \
				mask-sport=0 mask-dport=65535 master-src=$client \
				master-dst=$server master-dport=10080 class=0 \
				helper=amanda
			port=$((port + 1))
		done
		[ $variant = iptables ] &&
			expect_same "$who: ctalg expect list = conntrack -L expect" \
				router ipv$f
		streams $who $f
	done
	queue_check "$variant: ctalgd saw the packets (queue 0)" 0 "$seq0"
done

# The counters: five expectations per family and ruleset, none refused.
check "ctalg status: packets of both families" ctalgd_saw_both amanda
check_eq "ctalg status: expectations sent, per family" \
	"$(ctalgd_stats amanda expectations_sent)" "10 10"
check_eq "ctalg status: expectations the kernel created, per family" \
	"$(ctalgd_stats amanda expectations_created)" "10 10"
check_eq "ctalg status: none refused, no parse error" \
	"$(ctalgd_stats amanda expectations_refused) $(ctalgd_stats amanda parse_errors)" "0 0 0 0"
diag "$(ctalg status socket $CTALGD_SOCK)"

# ---- conntrackd's amanda helper on the same traffic ------------------------
to_conntrackd amanda udp/10080 "amanda inet udp" "amanda inet6 udp" || return 1

router_flush
backup conntrackd-4 4 1
family 4
check_eq "conntrackd, IPv4: one expectation for five streams (conntrackd's defect: it keeps only the last one it makes, and reads DATA, MESG and INDEX only)" \
	"$(expect_in helper=amanda | grep -c .)" 1
line=$(expect_in helper=amanda)
diag "$line"
check "conntrackd, IPv4: and it is for the backup server's own UDP port, no stream's (conntrackd's defect: it overwrites each port with the master's source port)" \
	test -n "$line" -a "$(field "$line" dport)" = "$(field "$line" master-sport)"
touch /tmp/vm/go-conntrackd-4
finish conntrackd-4 20
check_eq "conntrackd, IPv4: no stream gets through" \
	"$(grep -c ' ok ' "$VM_LOG/conntrackd-4.log")" 0

router_flush
backup conntrackd-6 6 0
check "conntrackd, IPv6: no expectation (conntrackd's defect: it finds the payload with the IPv4 header's length)" \
	test -z "$(expect_in helper=amanda)"
touch /tmp/vm/go-conntrackd-6
finish conntrackd-6 20
check_eq "conntrackd, IPv6: no stream gets through" \
	"$(grep -c ' ok ' "$VM_LOG/conntrackd-6.log")" 0

# ---- negative control ------------------------------------------------------
check "nft, no helper: ruleset admitting udp/10080 only" \
	router_rules nft udp/10080
router_flush
dropped=$(router_dropped)
spawn none client vm-amanda server "$SERVER4"
finish none 20
check_fails "without the helper: the streams cannot be opened" test "$?" = 0
check "without the helper: the REP came" has_rep none
check "without the helper: no expectation" test -z "$(expect_list router)"
check "without the helper: the router dropped the streams" \
	test "$(router_dropped)" -gt "$dropped"
