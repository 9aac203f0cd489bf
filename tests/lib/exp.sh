# SPDX-License-Identifier: GPL-2.0-or-later
# Expectations made the way real traffic makes them, in a namespace made by
# netns.sh: the kernel's ftp, tftp and sip helpers attached with the CT
# target in the raw table, and control traffic over loopback. Source after
# tap.sh and netns.sh. Every server and client runs in the background for
# at most EXP_LIFE seconds and is killed with the namespace.

EXP_LIFE=${EXP_LIFE:-60}

# exp_ns_setup NS: helpers on the control ports, for IPv4 and IPv6:
# ftp on tcp 21 and 2121, tftp on udp 69, sip on udp 5060; and the
# listeners: an ftp server on 21 that only greets, one on 2121 that greets
# and then offers passive mode (227 for IPv4, 229 for IPv6), and sinks for
# tftp and sip.
exp_ns_setup() {
	for _ipt in iptables ip6tables; do
		in_ns "$1" "$_ipt" -t raw -A OUTPUT -p tcp --dport 21 \
			-j CT --helper ftp || return 1
		in_ns "$1" "$_ipt" -t raw -A OUTPUT -p tcp --dport 2121 \
			-j CT --helper ftp || return 1
		in_ns "$1" "$_ipt" -t raw -A OUTPUT -p udp --dport 69 \
			-j CT --helper tftp || return 1
		in_ns "$1" "$_ipt" -t raw -A OUTPUT -p udp --dport 5060 \
			-j CT --helper sip || return 1
	done
	# The servers are scripts: socat's address syntax takes quotes,
	# commas and parentheses for itself.
	EXP_DIR=$(mktemp -d "/tmp/ctalg-$$-exp.XXXXXX")
	trap 'netns_cleanup; rm -rf "$EXP_DIR"' EXIT
	printf '#!/bin/sh\nprintf "220 x\\r\\n"\nsleep %s\n' "$EXP_LIFE" \
		>"$EXP_DIR/greet"
	printf '#!/bin/sh\nprintf "220 x\\r\\n"\nsleep 0.3\nprintf "%s\\r\\n"\nsleep %s\n' \
		'227 Entering Passive Mode (127,0,0,1,4,3)' "$EXP_LIFE" \
		>"$EXP_DIR/pasv4"
	printf '#!/bin/sh\nprintf "220 x\\r\\n"\nsleep 0.3\nprintf "%s\\r\\n"\nsleep %s\n' \
		'229 Entering Extended Passive Mode (|||1028|)' "$EXP_LIFE" \
		>"$EXP_DIR/pasv6"
	chmod +x "$EXP_DIR/greet" "$EXP_DIR/pasv4" "$EXP_DIR/pasv6"
	in_ns "$1" sh -c "
		socat TCP4-LISTEN:21,reuseaddr,fork EXEC:$EXP_DIR/greet &
		socat TCP6-LISTEN:21,reuseaddr,fork,ipv6only=1 \
			EXEC:$EXP_DIR/greet &
		socat TCP4-LISTEN:2121,reuseaddr,fork EXEC:$EXP_DIR/pasv4 &
		socat TCP6-LISTEN:2121,reuseaddr,fork,ipv6only=1 \
			EXEC:$EXP_DIR/pasv6 &
		socat -u UDP4-RECV:69 /dev/null &
		socat -u UDP6-RECV:69,ipv6only=1 /dev/null &
		socat -u UDP4-RECV:5060 /dev/null &
		socat -u UDP6-RECV:5060,ipv6only=1 /dev/null &
	" >/dev/null 2>&1 </dev/null
	wait_port "$1" tcp 21 && wait_port "$1" tcp 2121 &&
		wait_port "$1" udp 69 && wait_port "$1" udp 5060
}

# Wait until `conntrack -L expect` (the reference) lists an expectation
# whose line contains PATTERN.
exp_wait() {
	wait_for 5 sh -c "ip netns exec $1 conntrack -L expect -f $2 \
		2>/dev/null | grep -q -- '$3'"
}

# exp_loopback FAMILY: the loopback address (ipv4 or ipv6).
exp_loopback() {
	[ "$1" = ipv6 ] && echo ::1 || echo 127.0.0.1
}

# exp_ftp_active NS FAMILY SPORT: a client on source port SPORT sends a
# line, then PORT (IPv4, data port 1025) or EPRT (IPv6, 1026). The helper
# only reads a line that follows a newline it has seen, so the first line
# cannot be the command.
exp_ftp_active() {
	if [ "$2" = ipv6 ]; then
		_cmd='EPRT |2|::1|1026|' _peer='TCP6:[::1]:21' _port=1026
	else
		_cmd='PORT 127,0,0,1,4,1' _peer='TCP4:127.0.0.1:21' _port=1025
	fi
	in_ns "$1" sh -c "(printf 'USER a\\r\\n'; sleep 0.3;
		printf '$_cmd\\r\\n'; sleep $EXP_LIFE) |
		socat - $_peer,sourceport=$3 >/dev/null 2>&1 &" </dev/null
	exp_wait "$1" "$2" "dport=$_port .*sport=$3 dport=21"
}

# exp_ftp_passive NS FAMILY SPORT: the server on 2121 answers 227 (IPv4,
# data port 1027) or 229 (IPv6, 1028).
exp_ftp_passive() {
	if [ "$2" = ipv6 ]; then
		_peer='TCP6:[::1]:2121' _port=1028
	else
		_peer='TCP4:127.0.0.1:2121' _port=1027
	fi
	in_ns "$1" sh -c "(printf 'USER a\\r\\n'; sleep $EXP_LIFE) |
		socat - $_peer,sourceport=$3 >/dev/null 2>&1 &" </dev/null
	exp_wait "$1" "$2" "dport=$_port .*sport=$3 dport=2121"
}

# exp_tftp NS FAMILY SPORT: a read request from source port SPORT; the
# helper expects the server's answer to SPORT.
exp_tftp() {
	_dst=UDP4:127.0.0.1:69
	[ "$2" = ipv6 ] && _dst='UDP6:[::1]:69'
	printf '\0\1file\0octet\0' |
		in_ns "$1" socat -u - "$_dst,sourceport=$3" || return 1
	exp_wait "$1" "$2" "dport=$3 .*sport=$3 dport=69"
}

# exp_sip_master NS FAMILY SPORT: a datagram to the sip port makes a
# conntrack with the sip helper, the master for `expect add`.
exp_sip_master() {
	_dst=UDP4:127.0.0.1:5060
	[ "$2" = ipv6 ] && _dst='UDP6:[::1]:5060'
	printf 'x' | in_ns "$1" socat -u - "$_dst,sourceport=$3" || return 1
	wait_for 5 sh -c "ip netns exec $1 conntrack -L -f $2 -p udp \
		--sport $3 2>/dev/null | grep -q helper=sip"
}

# exp_sip_add NS FAMILY SPORT ARGS...: ctalg expect add on that master.
exp_sip_add() {
	_ns=$1 _fam=$2 _sp=$3
	shift 3
	_a=$(exp_loopback "$_fam")
	in_ns "$_ns" "$CTALG" expect add proto udp master-src "$_a" \
		master-dst "$_a" master-sport "$_sp" master-dport 5060 \
		src "$_a" dst "$_a" "$@"
}

# exp_scenario NS FAMILY: one of each kind of expectation in FAMILY
# (client ports 30001.. for IPv4, 30101.. for IPv6): ftp active and
# passive, tftp, and on a sip master, ctalg-made ones with an exact source
# port, flags, a source netmask, another protocol, and NAT with an expectfn.
exp_scenario() {
	_b=30001
	[ "$2" = ipv6 ] && _b=30101
	_net=255.255.255.0
	[ "$2" = ipv6 ] && _net=ffff:ffff:ffff:ffff::
	exp_ftp_active "$1" "$2" "$_b" &&
		exp_ftp_passive "$1" "$2" $((_b + 1)) &&
		exp_tftp "$1" "$2" $((_b + 2)) &&
		exp_sip_master "$1" "$2" $((_b + 3)) &&
		exp_sip_add "$1" "$2" $((_b + 3)) sport 7000 dport 7001 \
			class 1 flags permanent &&
		exp_sip_add "$1" "$2" $((_b + 3)) dport 7002 class 2 \
			flags permanent,inactive mask-src "$_net" &&
		exp_sip_add "$1" "$2" $((_b + 3)) dport 7003 class 3 \
			nat-dir orig nat-src "$(exp_loopback "$2")" \
			nat-sport 7100 fn nat-follow-master &&
		exp_sip_add "$1" "$2" $((_b + 3)) dport 7004 class 1 \
			expect-proto tcp
}
