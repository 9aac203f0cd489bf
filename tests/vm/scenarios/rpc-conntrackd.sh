# SPDX-License-Identifier: GPL-2.0-or-later
# The reference on ONC RPC: conntrackd's rpc helper on the router, rpcbind
# and an RPC program (vm-rpc serve, registered with rpcbind on port 40111)
# on the server. The client asks the portmapper for the program's port
# with a portmap v2 GETPORT over UDP and over TCP; the helper reads the
# answer and expects the client's call to that port, which then must
# reach the program and come back. Both ruleset variants; without the
# helper attached the call must be dropped.
#
# IPv4 only: conntrackd's rpc helper understands only portmap v2 GETPORT
# (no rpcbind v3/v4 GETADDR, which IPv6 clients use), and Debian's rpcinfo
# asks with GETADDR even over IPv4 (vm_testing.md trap 9), hence vm-rpc
# as the client; rpcinfo checks the registration on the server.
# vm-packages: conntrackd rpcbind
# vm-programs: conntrackd rpcbind rpcinfo
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_rpc.so

PROG=536871000
PORT=40111

command -v vm-rpc >/dev/null ||
	skip_all "vm-rpc was not built (libtirpc-dev is missing; scripts/deps installs it)"

net_setup || return 1

mkdir -p /run/rpcbind
spawn rpcbind server rpcbind -f -w
rpcbind_up() {
	wait_port server udp 111 && wait_port server tcp 111
}
check "rpcbind listens on udp and tcp port 111" rpcbind_up
spawn program server vm-rpc serve $PROG 1 $PORT
registered() {
	_reg=$(in_ns server rpcinfo -p)
	for _p in udp tcp; do
		echo "$_reg" | grep -q "^ *$PROG *1 *$_p *$PORT\$" || return 1
	done
}
check "program $PROG is registered for udp and tcp on port $PORT" \
	wait_for 10 registered

conntrackd_start "rpc inet udp" "rpc inet tcp" || return 1

for variant in iptables nft; do
	router_flush
	check "$variant: ruleset attaching rpc to udp/111 and tcp/111" \
		router_rules "$variant" 4:udp/111=rpc 4:tcp/111=rpc
	seq0=$(queue_stat 0 seq)
	seq1=$(queue_stat 1 seq)
	for proto in udp tcp; do
		num=$([ $proto = udp ] && echo 17 || echo 6)
		got=$(in_ns client vm-rpc getport $SERVER4 $PROG 1 $proto $proto 2>&1)
		check_eq "$variant, GETPORT over $proto: the portmapper answers $PORT" \
			"$got" $PORT
		# The rpc helper's expectations are PERMANENT: they stay after
		# the call has used them, so no hold is needed.
		expect_check "$variant, $proto: expectation client -> server:$PORT" \
			router proto=$num src=$CLIENT4 dst=$SERVER4 sport=0 \
			dport=$PORT mask-src=255.255.255.255 mask-sport=0 \
			master-src=$CLIENT4 master-dst=$SERVER4 master-dport=111 \
			flags=PERMANENT helper=rpc
		expect_same "$variant, $proto: ctalg expect list = conntrack -L expect" \
			router ipv4
		got=$(in_ns client timeout -s KILL 20 vm-rpc call $SERVER4 $PORT $PROG 1 \
			$proto "hello over $proto" 2>&1)
		check_eq "$variant, $proto: the call reaches the program and returns" \
			"$got" "hello over $proto"
	done
	queue_check "$variant: conntrackd saw the udp packets (queue 0)" 0 "$seq0"
	queue_check "$variant: conntrackd saw the tcp packets (queue 1)" 1 "$seq1"
done

# Negative control: GETPORT still works (port 111 is admitted), but with
# no helper nothing makes the call to the program RELATED.
for run in "iptables udp" "nft tcp"; do
	set -- $run
	router_flush
	check "$1, no helper: ruleset admitting udp/111 and tcp/111 only" \
		router_rules "$1" 4:udp/111 4:tcp/111
	got=$(in_ns client vm-rpc getport $SERVER4 $PROG 1 $2 $2 2>&1)
	check_eq "$1, $2 without the helper: GETPORT still answers $PORT" \
		"$got" $PORT
	dropped=$(router_dropped)
	# SIGKILL: libtirpc blocks every signal while it connects.
	check_fails "$1, $2 without the helper: the call gets no answer" \
		in_ns client timeout -s KILL 4 vm-rpc call $SERVER4 $PORT \
		$PROG 1 $2 hello
	check "$1, $2 without the helper: no expectation" \
		test -z "$(expect_list router)"
	check "$1, $2 without the helper: the router dropped the call" \
		test "$(router_dropped)" -gt "$dropped"
done
