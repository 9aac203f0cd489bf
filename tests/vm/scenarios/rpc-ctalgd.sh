# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd's rpc helpers (TCP and UDP, IPv4 and IPv6) on the router; rpcbind
# and RPC programs (vm-rpc serve, each registered with rpcbind for udp,
# tcp, udp6 and tcp6 on a port of its own) on the server. The client looks
# the programs up the two ways clients do, through a router that drops
# every forwarded connection it does not know as ESTABLISHED or RELATED:
#   getport-udp  portmap v2 GETPORT over UDP (libtirpc's pmap_getport, in
#		 vm-rpc getport): two lookups from one socket, the program's
#		 TCP and UDP ports, so two expectations on one master
#   getport-tcp  portmap v2 GETPORT over TCP
#   getaddr-udp, getaddr-tcp, getaddr-udp6, getaddr-tcp6
#		 Debian's rpcinfo -T NETID: rpcbind v4 GETADDR, answered
#		 with a universal address, then rpcinfo's own call of the
#		 program at that address
#   low		 (iptables only) rpcinfo -T udp of a program on port 900: below the helper's
#		 port floor, refused by ctalgd and counted as such
# Both ruleset variants. Every expectation is read field by field (they
# are PERMANENT, so they stay after their calls used them), and every call
# must reach its program and come back. Then conntrackd's rpc helper on the
# same lookups: it agrees on GETPORT, keeps one expectation per master
# only, and makes none for GETADDR (it reads portmap v2 GETPORT only).
# Without a helper attached the calls are dropped.
# vm-packages: conntrackd rpcbind
# vm-programs: conntrackd rpcbind rpcinfo
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_rpc.so

PROG=536871100
BASE=40111
LOW=900
CASES="getport-udp getport-tcp getaddr-udp getaddr-tcp getaddr-udp6 getaddr-tcp6 low"

command -v vm-rpc >/dev/null ||
	skip_all "vm-rpc was not built (libtirpc-dev is missing; scripts/deps installs it)"

net_setup || return 1

# prog CASE, port CASE: the program a case looks up and the port it has.
index() {
	_i=0
	for _c in $CASES; do
		[ "$_c" = "$1" ] && break
		_i=$((_i + 1))
	done
	echo $_i
}
prog() {
	echo $((PROG + $(index "$1")))
}
port() {
	if [ "$1" = low ]; then
		echo $LOW
	else
		echo $((BASE + $(index "$1")))
	fi
}

mkdir -p /run/rpcbind
spawn rpcbind server rpcbind -f -w
rpcbind_up() {
	wait_port server udp 111 && wait_port server tcp 111
}
check "rpcbind listens on udp and tcp port 111" rpcbind_up
for c in $CASES; do
	spawn "program-$c" server vm-rpc serve "$(prog $c)" 1 "$(port $c)"
done
# rpcinfo with no argument lists every netid's registrations.
registered() {
	_reg=$(in_ns server rpcinfo)
	for _c in $CASES; do
		for _n in udp tcp udp6 tcp6; do
			echo "$_reg" | grep -q "^ *$(prog $_c) *1 *$_n " ||
				return 1
		done
	done
}
check "every program is registered with rpcbind for udp, tcp, udp6, tcp6" \
	wait_for 10 registered

# family CASE: the addresses of the case's family.
family() {
	case $1 in
	*6)
		client=$CLIENT6 server=$SERVER6
		mask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
		;;
	*)
		client=$CLIENT4 server=$SERVER4 mask=255.255.255.255
		;;
	esac
}

# lookup T CASE: the case's lookup and the calls it leads to, from the
# client, each command killed after T s (libtirpc blocks signals while it
# connects); prints GETPORT's ports, then the answers.
lookup() {
	family "$2"
	_p=$(prog "$2")
	_c="in_ns client timeout -s KILL $1"
	case $2 in
	getport-udp)
		$_c vm-rpc getport "$server" "$_p" 1 tcp udp "$_p" 1 udp &&
			$_c vm-rpc call "$server" "$(port "$2")" "$_p" 1 tcp "hello over tcp" &&
			$_c vm-rpc call "$server" "$(port "$2")" "$_p" 1 udp "hello over udp"
		;;
	getport-tcp)
		$_c vm-rpc getport "$server" "$_p" 1 tcp tcp &&
			$_c vm-rpc call "$server" "$(port "$2")" "$_p" 1 tcp "hello over tcp"
		;;
	low)
		$_c rpcinfo -T udp "$server" "$_p" 1
		;;
	*)
		$_c rpcinfo -T "${2#getaddr-}" "$server" "$_p" 1
		;;
	esac
}

# lookups WHO T CASE...: every case's lookup at once, its output in
# $VM_LOG/WHO-CASE.log and its exit status in /tmp/vm/WHO-CASE.status.
lookups() {
	_who=$1 _t=$2
	shift 2
	for _c in "$@"; do
		background "$_who-$_c" lookup "$_t" "$_c"
	done
	for _c in "$@"; do
		finish "$_who-$_c" $((_t * 3 + 5))
		echo $? >"/tmp/vm/$_who-$_c.status"
	done
}

# answered WHO CASE: the case's calls came back.
answered() {
	_log=$VM_LOG/$1-$2.log
	[ "$(cat "/tmp/vm/$1-$2.status")" = 0 ] || return 1
	case $2 in
	getport-udp)
		[ "$(tr '\n' ' ' <"$_log")" = "$(port $2) $(port $2) hello over tcp hello over udp " ]
		;;
	getport-tcp)
		[ "$(tr '\n' ' ' <"$_log")" = "$(port $2) hello over tcp " ]
		;;
	*)
		grep -q "^program $(prog $2) version 1 ready and waiting\$" "$_log"
		;;
	esac
}

# expected WHO CASE PROTO: the check of the case's expectation over PROTO
# in the snapshot; the line is kept in /tmp/vm/WHO-CASE-PROTO.exp.
expected() {
	family "$2"
	_n=$([ "$3" = udp ] && echo 17 || echo 6)
	expect_check_in "$1, $2: expectation $3 client -> server:$(port $2)" \
		proto=$_n src=$client dst=$server sport=0 dport="$(port $2)" \
		mask-src=$mask mask-dst=$mask mask-sport=0 mask-dport=65535 \
		master-src=$client master-dst=$server master-dport=111 \
		flags=PERMANENT class=0 helper=rpc
	printf '%s\n' "$EXPECT_FOUND" >"/tmp/vm/$1-$2-$3.exp"
}

# proto CASE: the protocol the case's program is looked up for.
proto() {
	case $1 in
	*udp* | low) echo udp ;;
	*) echo tcp ;;
	esac
}

ctalgd_start "rpc inet udp" "rpc inet tcp" "rpc inet6 udp" "rpc inet6 tcp" ||
	return 1
for variant in iptables nft; do
	router_flush
	check "$variant: ruleset attaching rpc to udp/111 and tcp/111" \
		router_rules "$variant" udp/111=rpc tcp/111=rpc
	seq0=$(queue_stat 0 seq)
	who=ctalgd-$variant
	# The refused lookup waits for its call to time out: once is enough.
	cases=$CASES
	[ $variant = nft ] && cases=$(echo "$CASES" | sed 's/ low$//')
	lookups "$who" 3 $cases
	expect_snapshot router 7
	expected "$who" getport-udp tcp
	for c in $CASES; do
		[ $c = low ] && continue
		expected "$who" $c "$(proto $c)"
	done
	[ $variant = iptables ] &&
		check "$who, low: no expectation (port $LOW is below the port floor: refused)" \
			test -z "$(expect_in dport=$LOW)"
	if [ $variant = iptables ]; then
		expect_same "$who: ctalg expect list = conntrack -L expect, IPv4" \
			router ipv4
		expect_same "$who: ctalg expect list = conntrack -L expect, IPv6" \
			router ipv6
	fi
	for c in $CASES; do
		[ $c = low ] && continue
		check "$who, $c: the calls reach the program and come back" \
			answered "$who" $c
		diag "$(cat "$VM_LOG/$who-$c.log")"
	done
	[ $variant = iptables ] &&
		check_fails "$who, low: rpcinfo's call of the program on port $LOW is dropped" \
			answered "$who" low
	queue_check "$variant: ctalgd saw the packets (queue 0)" 0 "$seq0"
done

# The counters, per helper: GETPORT over UDP two expectations, every
# other case one; the low port refused, as a port.
stat() {
	echo "$(ctalgd_stat rpc/udp inet "$1") $(ctalgd_stat rpc/tcp inet "$1") $(ctalgd_stat rpc/udp inet6 "$1") $(ctalgd_stat rpc/tcp inet6 "$1")"
}
check "ctalg status: packets of each helper" \
	test "$(stat packets | tr ' ' '\n' | grep -c '^[1-9]')" = 4
check_eq "ctalg status: expectations created (udp, tcp, udp6, tcp6)" \
	"$(stat expectations_created)" "6 4 2 2"
check_eq "ctalg status: refused (udp, tcp, udp6, tcp6)" \
	"$(stat expectations_refused)" "1 0 0 0"
check_eq "ctalg status: refused as a port below the floor" \
	"$(stat refused.port)" "1 0 0 0"
check_eq "ctalg status: no parse error" "$(stat parse_errors)" "0 0 0 0"
diag "$(ctalg status socket $CTALGD_SOCK)"

# ---- conntrackd's rpc helper on the same lookups ---------------------------
to_conntrackd rpc "udp/111 tcp/111" "rpc inet udp" "rpc inet tcp" \
	"rpc inet6 udp" "rpc inet6 tcp" || return 1
router_flush
who=conntrackd
lookups $who 3 $(echo "$CASES" | sed 's/ low$//')
expect_snapshot router 2
for c in "getport-udp udp" "getport-tcp tcp"; do
	set -- $c
	expected $who $1 $2
	same_output "$who, $1: the same $2 expectation as ctalgd's, field by field" \
		"sed 's/ master-sport=[0-9]*//' /tmp/vm/ctalgd-iptables-$1-$2.exp" \
		"sed 's/ master-sport=[0-9]*//' /tmp/vm/$who-$1-$2.exp"
done
check "$who, getport-udp: no tcp expectation (conntrackd's defect: ExpectMax 1, the second lookup from one socket evicts the first)" \
	test -z "$(expect_in proto=6 dport="$(port getport-udp)")"
# The shell says "Killed" after the ports when the call is dropped.
check_eq "$who, getport-udp: both lookups answered, the tcp call then dropped" \
	"$(grep -v Killed "$VM_LOG/$who-getport-udp.log" | tr '\n' ' ')" \
	"$(port getport-udp) $(port getport-udp) "
check "$who, getport-tcp: the call reaches the program and comes back" \
	answered $who getport-tcp
for c in getaddr-udp getaddr-tcp getaddr-udp6 getaddr-tcp6; do
	check "$who, $c: no expectation (conntrackd's defect: it reads portmap v2 GETPORT only, not rpcbind's GETADDR)" \
		test -z "$(expect_in dport="$(port $c)")"
	check_fails "$who, $c: rpcinfo's call is dropped" answered $who $c
done
diag "conntrackd's expectations: $EXPECT_SNAP"

# ---- negative control ------------------------------------------------------
# The lookups are still admitted and answered; with no helper nothing
# makes the calls RELATED.
check "nft, no helper: ruleset admitting udp/111 and tcp/111 only" \
	router_rules nft udp/111 tcp/111
router_flush
dropped=$(router_dropped)
who=none
lookups $who 3 getport-tcp getaddr-udp6
check "without the helper: GETPORT still answers" \
	test "$(head -n 1 "$VM_LOG/$who-getport-tcp.log")" = "$(port getport-tcp)"
for c in getport-tcp getaddr-udp6; do
	check_fails "without the helper, $c: the call is dropped" answered $who $c
done
check "without the helper: no expectation" test -z "$(expect_list router)"
check "without the helper: the router dropped the calls" \
	test "$(router_dropped)" -gt "$dropped"
