# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd's tns helper on the router, between an Oracle Net client and a
# listener that redirects it (vm-tns, tests/vm/tools: Debian has no Oracle
# server). The listener answers each CONNECT with a REDIRECT in one of the
# forms listeners send, and the client follows it to a dispatcher through
# a router that drops every forwarded connection it does not know as
# ESTABLISHED or RELATED:
#   lit	    the listener's address as a literal (IPv4 or IPv6)
#   name    a host name ("server"), never resolved by the helper
#   split   the REDIRECT cut inside the address, in two segments
#   empty   a REDIRECT of data length 0, the data in the DATA packet after
#   foreign an address of no host of the listener's: ctalgd's policy
#	    refuses it, and counts the refusal
# Over IPv4 and IPv6, with the iptables and the nft ruleset, the clients
# of one family at once. Each expectation is read field by field while
# its client waits, then the dispatcher must answer over the expected
# connection. Then conntrackd's tns helper on the same traffic: it agrees
# where it can, and its defects are named where it does not. Without a
# helper attached the client cannot reach the dispatcher.
# vm-packages: conntrackd
# vm-programs: conntrackd
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_tns.so

BASE=40100
FORMS="lit name split empty foreign"

command -v vm-tns >/dev/null || skip_all "vm-tns was not built"
net_setup || return 1
spawn listener server vm-tns listener 1521 $BASE
check "the listener listens on port 1521" wait_port server tcp 1521

# family 4|6
family() {
	if [ "$1" = 6 ]; then
		client=$CLIENT6 server=$SERVER6 foreign=fd00:2::99
		mask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
	else
		client=$CLIENT4 server=$SERVER4 foreign=10.0.2.99
		mask=255.255.255.255
	fi
}

# port FORM FAMILY: where the listener redirects FORM to.
port() {
	_i=0
	for _f in $FORMS; do
		[ "$_f" = "$1" ] && break
		_i=$((_i + 1))
	done
	echo $((BASE + _i + ($2 == 6 ? 5 : 0)))
}

redirected() {
	grep -q '^redirect ' "$VM_LOG/$1.log"
}

# connect_all WHO FAMILY N: a client per form of FAMILY, at once; each waits
# for its file /tmp/vm/go-WHO-FORM once it has read its REDIRECT.
connect_all() {
	family "$2"
	for form in $FORMS; do
		rm -f "/tmp/vm/go-$1-$form"
		spawn "$1-$form" client vm-tns client "$server" "$form" \
			"/tmp/vm/go-$1-$form"
	done
	for form in $FORMS; do
		wait_for 20 redirected "$1-$form" ||
			diag "$1-$form: no REDIRECT: $(cat "$VM_LOG/$1-$form.log")"
	done
	# Every REDIRECT has passed its verdict: the expectations asked for
	# exist (at most N of them), and one listing serves every check.
	expect_snapshot router "$3"
}

# expected WHO FAMILY FORM: the check of the expectation FORM asks for, in
# the snapshot of connect_all's expectations; the line is kept in
# /tmp/vm/WHO-FORM-FAMILY.exp.
expected() {
	_p=$(port "$3" "$2")
	expect_check_in "$1, IPv$2, $3: expectation client -> server:$_p" \
		proto=6 src=$client dst=$server sport=0 dport=$_p \
		mask-src=$mask mask-dst=$mask mask-sport=0 mask-dport=65535 \
		master-src=$client master-dst=$server master-dport=1521 \
		class=0 helper=tns
	printf '%s\n' "$EXPECT_FOUND" >"/tmp/vm/$1-$3-$2.exp"
}

# follow WHO FAMILY FORM: let the client of FORM go on; it must reach the
# dispatcher.
follow() {
	touch "/tmp/vm/go-$1-$3"
	finish "$1-$3" 15
	_s=$?
	check "$1, IPv$2, $3: the dispatcher answers over the expected connection" \
		test "$_s" = 0 -a "$(tail -n 1 "$VM_LOG/$1-$3.log")" = \
		"dispatcher $(port "$3" "$2"): $3"
}

# no_expectation WHO FAMILY FORM WHY: FORM got none in the snapshot.
no_expectation() {
	check "$1, IPv$2, $3: no expectation ($4)" \
		test -z "$(expect_in dport="$(port "$3" "$2")")"
}

ctalgd_start "tns inet tcp" "tns inet6 tcp" || return 1
for variant in iptables nft; do
	router_flush
	check "$variant: ruleset attaching tns to tcp/1521" \
		router_rules "$variant" tcp/1521=tns
	seq0=$(queue_stat 0 seq)
	for f in 4 6; do
		who="ctalgd-$variant"
		connect_all "$who" $f 4
		for form in lit name split empty; do
			expected "$who" $f $form
		done
		if [ $variant = iptables ]; then
			expect_same "$who, IPv$f: ctalg expect list = conntrack -L expect" \
				router ipv$f
		fi
		no_expectation "$who" $f foreign \
			"$foreign is no address of the listener: refused"
		stop "$who-foreign"
		for form in lit name split empty; do
			follow "$who" $f $form
		done
	done
	queue_check "$variant: ctalgd saw the packets (queue 0)" 0 "$seq0"
done

# The counters: four expectations per family and ruleset, one refusal (the
# foreign address).
check "ctalg status: packets of both families" ctalgd_saw_both tns
check_eq "ctalg status: expectations sent, per family" \
	"$(ctalgd_stats tns expectations_sent)" "8 8"
check_eq "ctalg status: expectations the kernel created, per family" \
	"$(ctalgd_stats tns expectations_created)" "8 8"
check_eq "ctalg status: the foreign addresses refused, per family" \
	"$(ctalgd_stats tns expectations_refused)" "2 2"
check_eq "ctalg status: as refusals of the address" \
	"$(ctalgd_stats tns refused.address)" "2 2"
diag "$(ctalg status socket $CTALGD_SOCK)"

# ---- conntrackd's tns helper on the same traffic --------------------------
to_conntrackd tns tcp/1521 "tns inet tcp" "tns inet6 tcp" || return 1
for f in 4 6; do
	router_flush
	connect_all conntrackd $f $((f == 4 ? 2 : 0))
	if [ $f = 4 ]; then
		expected conntrackd 4 lit
		same_output "conntrackd, IPv4, lit: the same expectation as ctalgd's, field by field" \
			"sed 's/ master-sport=[0-9]*//' /tmp/vm/ctalgd-iptables-lit-4.exp" \
			"sed 's/ master-sport=[0-9]*//' /tmp/vm/conntrackd-lit-4.exp"
		no_expectation conntrackd 4 empty \
			"conntrackd's defect: it searches the DATA packet from its data flags, two zero bytes that end its string search"
		no_expectation conntrackd 4 name \
			"conntrackd's defect: it reads no host names, ctalgd expects the listener's address"
		no_expectation conntrackd 4 split \
			"conntrackd's defect: it reads single segments, not the stream"
		check "conntrackd, IPv4, foreign: expects any address the listener names (ctalgd refuses it)" \
			expect_in proto=6 src=$client dst=$foreign \
			dport="$(port foreign 4)" master-dport=1521 helper=tns
		diag "conntrackd's expectations: $EXPECT_SNAP"
		ok_forms="lit" failing="name split empty"
	else
		for form in lit name split empty foreign; do
			no_expectation conntrackd 6 $form \
				"conntrackd's defect: it reads IPv4 dotted quads only"
		done
		ok_forms="" failing="lit name split empty"
	fi
	stop "conntrackd-foreign"
	for form in $ok_forms; do
		follow conntrackd $f $form
	done
	# The clients without an expectation try, at once, and fail.
	for form in $failing; do
		touch "/tmp/vm/go-conntrackd-$form"
	done
	for form in $failing; do
		finish "conntrackd-$form" 15
		check_fails "conntrackd, IPv$f, $form: the client cannot reach the dispatcher" \
			test "$?" = 0
	done
done

# ---- negative control ------------------------------------------------------
check "nft, no helper: ruleset admitting tcp/1521 only" \
	router_rules nft tcp/1521
router_flush
dropped=$(router_dropped)
family 4
spawn none client vm-tns client "$server" lit
finish none 15
check_fails "without the helper: the client cannot reach the dispatcher" \
	test "$?" = 0
check "without the helper: it read the REDIRECT" redirected none
check "without the helper: no expectation" test -z "$(expect_list router)"
check "without the helper: the router dropped the connection to the dispatcher" \
	test "$(router_dropped)" -gt "$dropped"
