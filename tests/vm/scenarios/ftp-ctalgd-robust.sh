# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd's ftp helper when things go wrong, through the policy-drop router:
# - kill -9 of ctalgd between two transfers of one control session, then a
#   restart: the second transfer works, because the helper state (stream
#   positions included) lives in the kernel's conntrack;
# - 100 sessions whose server greeting and client's first command cross,
#   so two packets of one connection wait in the queue together, each with
#   the kernel's copy of the state from before the other's verdict: every
#   session gets its expectation (the same traffic through conntrackd is
#   measured for comparison);
# - a flood of hostile control lines in both directions: ctalgd neither
#   crashes nor stalls the queue, counts them, and a transfer still works;
# - ctalgd stopped (SIGTERM) and killed (-9): what the kernel then does
#   with the helped connections, as the README says.
# vm-packages: vsftpd lftp socat curl conntrackd
# vm-programs: vsftpd lftp socat curl conntrackd
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_ftp.so

net_setup || return 1
# The guest's expectation table holds 96 by default (4 x conntrack buckets
# / 256 with its memory); the crossing sessions alone need 100.
echo 4096 >/proc/sys/net/netfilter/nf_conntrack_expect_max

vsftpd_start 30000 30999
head -c 65536 /dev/urandom >/srv/ftp/data.bin
# A sink for hostile client lines, and a server that sends hostile
# replies, both with the ftp helper attached.
head -c 4096 /dev/urandom >/tmp/vm/noise.bin
spawn sink server socat -u TCP6-LISTEN:2121,ipv6only=0,reuseaddr,fork \
	OPEN:/dev/null
check "the sink listens on port 2121" wait_port server tcp 2121

ctalgd_start "ftp inet tcp" "ftp inet6 tcp" || return 1
check "ruleset attaching ftp to tcp/21, 2100, 2121 and 2122" \
	router_rules iptables tcp/21=ftp tcp/2100=ftp tcp/2121=ftp tcp/2122=ftp

# ---- kill -9 between two transfers of one control session ----------------
rm -f /tmp/vm/paused /tmp/vm/go
spawn lftp client lftp -c "set net:timeout 10; set net:max-retries 2;
	open ftp://$SERVER4; get data.bin -o /tmp/vm/first.out;
	!sh -c 'touch /tmp/vm/paused; while [ ! -e /tmp/vm/go ]; do sleep 0.2; done';
	get data.bin -o /tmp/vm/second.out; bye"
check "lftp: the first transfer of the session ends" wait_for 30 test -e /tmp/vm/paused
check "lftp: the first file arrives intact" cmp /srv/ftp/data.bin /tmp/vm/first.out
# kill -9: no clean stop, the helpers stay registered and enabled.
pid=$(pidof ctalgd)
kill -9 "$pid"
check "kill -9: ctalgd is gone" wait_for 5 _vm_exited "$pid"
stop ctalgd
check "kill -9: the helpers stay registered and enabled" \
	test "$(nfct helper list | grep -c 'status = enabled')" -eq 2
spawn ctalgd router ctalgd -C /tmp/vm/ctalgd.conf
check "restart: ctalgd binds queue 0 again" wait_for 10 queue_bound 0
touch /tmp/vm/go
finish lftp 40
check_eq "restart: the second transfer of the same session succeeds" "$?" 0
check "restart: the second file arrives intact" \
	cmp /srv/ftp/data.bin /tmp/vm/second.out
check_eq "restart: the restarted ctalgd made its expectation" \
	"$(ctalgd_stat ftp inet expectations_created)" 1

# ---- 100 sessions whose greeting and first command cross -----------------
# vm-cross (tests/vm/tools) on port 2100, helper attached: N sessions
# connect; the daemon is stopped (SIGSTOP); every server sends its greeting
# and every client its first command at the same moment, so both wait in
# the queue together (checked: at least 2N packets queued), each with the
# kernel's state from before the other's verdict. The daemon goes on; each
# client asks PASV and the server's 227 names the client's port.
queue_empty() {
	[ "$(queue_stat 0 total)" -eq 0 ]
}

queue_holds() {
	[ "$(queue_stat 0 total)" -ge "$1" ]
}

established() {
	[ "$(in_ns router conntrack -L -p tcp --dport 2100 --state ESTABLISHED \
		2>/dev/null | wc -l)" -ge "$1" ]
}

# crossing NAME PID N: N crossing sessions through the daemon PID; reports
# in /tmp/vm/cross.out how many packets waited together and how many
# expectations (NEW events) the sessions made, and returns that number.
crossing() {
	rm -f /tmp/vm/go1 /tmp/vm/go2
	in_ns router conntrack -F expect 2>/dev/null
	spawn "watch-$1" router ctalg expect watch event new
	spawn "crossd-$1" server vm-cross server 2100 "$3" /tmp/vm/go1 /tmp/vm/go2
	wait_port server tcp 2100
	spawn "cross-$1" client vm-cross client "$SERVER4" 2100 "$3" \
		/tmp/vm/go1 /tmp/vm/go2
	if ! wait_for 30 established "$3"; then
		echo "not all $3 sessions connected" >/tmp/vm/cross.out
		touch /tmp/vm/go1 /tmp/vm/go2
		return 1
	fi
	wait_for 5 queue_empty
	kill -STOP "$2"
	touch /tmp/vm/go1
	wait_for 20 queue_holds $(($3 * 2))
	_held=$(queue_stat 0 total)
	kill -CONT "$2"
	wait_for 20 queue_empty
	touch /tmp/vm/go2
	finish "cross-$1" 30
	finish "crossd-$1" 10
	wait_for 10 sh -c "[ \$(grep -c NEW $VM_LOG/watch-$1.log) -ge $3 ]"
	stop "watch-$1"
	_n=$(grep -c 'NEW.* helper=ftp' "$VM_LOG/watch-$1.log")
	echo "$_held packets queued together, $_n expectations" >/tmp/vm/cross.out
	return "$_n"
}

created0=$(ctalgd_stat ftp inet expectations_created)
for round in 1 2; do
	crossing "ctalgd$round" "$(pidof ctalgd)" 50
	n=$?
	check_eq "crossing, ctalgd, round $round: 50 sessions ($(cat /tmp/vm/cross.out))" \
		"$n" 50
done
check_eq "crossing: ctalg status counts 100 more" \
	"$(($(ctalgd_stat ftp inet expectations_created) - created0))" 100

# ---- hostile control lines -------------------------------------------------
{
	i=0
	while [ "$i" -lt 200 ]; do
		printf 'PORT 999,1,1,1,1,1\r\n'		# octet above 255
		printf 'PORT 10,0,9,9,156,64\r\n'	# not the client: refused
		printf 'PORT 10,0,1,2,0,80\r\n'		# port 80: below the floor
		printf 'EPRT |2|zz::1|5000|\r\n'	# not an address
		printf 'EPRT |1|10.0.1.2|99999|\r\n'	# port above 65535
		printf 'PORT 1\0000,2,3,4,5,6\r\n'	# a NUL in the line
		printf 'PoRt 10,0,1,2,200,'		# split, then garbage
		head -c 300 /tmp/vm/noise.bin
		printf '\r\n'
		i=$((i + 1))
	done
	head -c 20000 /dev/zero | tr '\0' 'P'	# a 20 KB line
	printf '\r\n'
} >/tmp/vm/hostile-client.txt
{
	i=0
	while [ "$i" -lt 200 ]; do
		printf '227 Entering Passive Mode (10,0,2,2,999,1).\r\n'
		printf '227 Entering Passive Mode (10,0,9,9,117,49).\r\n'
		printf '229 Entering Extended Passive Mode (|||0|)\r\n'
		printf '229 Entering Extended Passive Mode (|1|2|3|)\r\n'
		head -c 300 /tmp/vm/noise.bin
		printf '\r\n'
		i=$((i + 1))
	done
} >/tmp/vm/hostile-server.txt
spawn hostilesrv server socat -u FILE:/tmp/vm/hostile-server.txt \
	TCP6-LISTEN:2122,ipv6only=0,reuseaddr
check "the hostile server listens on port 2122" wait_port server tcp 2122
seq0=$(queue_stat 0 seq)
check "hostile: the client's flood reaches the sink through the router" \
	in_ns client socat -u FILE:/tmp/vm/hostile-client.txt \
	"TCP:$SERVER4:2121,connect-timeout=10"
check "hostile: the server's flood reaches the client through the router" \
	sh -c "/usr/sbin/ip netns exec client socat -u TCP:$SERVER4:2122,connect-timeout=10 - | cmp - /tmp/vm/hostile-server.txt"
check "hostile: ctalgd still runs" pidof ctalgd
check "hostile: nothing is left queued" test "$(queue_stat 0 total)" = 0
queue_check "hostile: ctalgd saw the packets, the queue never overflowed" 0 "$seq0"
# 200 rounds of 5 malformed client lines and 3 malformed server lines,
# 2 foreign addresses and 1 port below the floor.
errors=$(ctalgd_stat ftp inet parse_errors)
check "hostile: ctalg status counts the malformed lines ($errors of 1600)" \
	test "$errors" -ge 1500
refused=$(ctalg -o json status socket $CTALGD_SOCK | tr '{,' '\n\n' |
	grep -E '"(address|port)":' | tr -d '"' | tr '\n' ' ')
check "hostile: ctalg status counts the refusals ($refused)" \
	sh -c "echo '$refused' | grep -Eq 'address:(4[0-9][0-9]|[5-9][0-9][0-9]) port:(2[0-9][0-9]|[3-9][0-9][0-9])'"
diag "$(ctalg status socket $CTALGD_SOCK)"
check "hostile: a transfer afterwards still works" \
	in_ns client curl -sS --max-time 20 -o /tmp/vm/after.out \
	"ftp://$SERVER4/data.bin"
check "hostile: its file arrives intact" cmp /srv/ftp/data.bin /tmp/vm/after.out

# ---- ctalgd stopped, and killed --------------------------------------------
in_ns router conntrack -F expect 2>/dev/null
pid=$(pidof ctalgd)
kill "$pid"
check "SIGTERM: ctalgd exits" wait_for 10 _vm_exited "$pid"
check "SIGTERM: ctalgd says it disabled its helpers and stopped" \
	sh -c "grep -q 'Terminated: stopping' $VM_LOG/ctalgd.log &&
		grep -q 'ctalgd stopped' $VM_LOG/ctalgd.log"
stop ctalgd
check "SIGTERM: the helpers stay registered, disabled" \
	test "$(nfct helper list | grep -c 'status = disabled')" -eq 2
check_fails "SIGTERM: queue 0 is unbound" queue_bound 0
check_fails "SIGTERM: the control connection passes but, with no expectation, the data connection is dropped" \
	in_ns client curl -sS --max-time 8 -o /tmp/vm/stopped.out \
	"ftp://$SERVER4/data.bin"
check "SIGTERM: the control connection itself was served (vsftpd answered)" \
	sh -c "printf 'QUIT\r\n' | /usr/sbin/ip netns exec client socat -t 2 - TCP:$SERVER4:21 | grep -q '^220'"

ctalgd_start "ftp inet tcp" "ftp inet6 tcp" || return 1
pid=$(pidof ctalgd)
kill -9 "$pid"
wait_for 5 _vm_exited "$pid"
stop ctalgd
check "kill -9: the helpers stay enabled with no queue listener" \
	test "$(nfct helper list | grep -c 'status = enabled')" -eq 2
# With the helper enabled and nobody on its queue, the kernel accepts the
# packets uninspected but never confirms a new connection's conntrack:
# the server's answer matches nothing and the policy-drop router drops it.
check_fails "kill -9: a new control connection does not get through" \
	sh -c "printf 'QUIT\r\n' | /usr/sbin/ip netns exec client socat -t 3 - TCP:$SERVER4:21,connect-timeout=3 | grep -q '^220'"
diag "$(in_ns router conntrack -L 2>/dev/null | grep 'dport=21 ')"

# ---- the same crossing sessions through conntrackd, for comparison --------
# conntrackd registers "ftp" with its own private length: ctalgd's must
# go, and the kernel refuses to delete a helper a rule still names.
check "ruleset without the helper" router_rules iptables tcp/21 tcp/2100
check "ctalg helper delete ftp" ctalg helper delete ftp
conntrackd_start "ftp inet tcp" || return 1
check "ruleset attaching conntrackd's ftp" \
	router_rules iptables 4:tcp/21=ftp 4:tcp/2100=ftp
crossing conntrackd "$(pidof conntrackd)" 50
diag "conntrackd on the same crossing traffic, 50 sessions: $(cat /tmp/vm/cross.out)"
