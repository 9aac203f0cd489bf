# SPDX-License-Identifier: GPL-2.0-or-later
# The scenario library: sourced in the guest (busybox sh) before a
# scenario. It gives checks that the host turns into TAP, a client |
# router | server network, the router's firewall in an iptables and an nft
# variant, daemons started and stopped by PID, waits with a bound, the
# expectation table in a form that can be matched field by field, and a
# state dump on failure.
#
# What every scenario needs in the guest (the runner reads these lines from
# this file and from each scenario; see tests/vm/README.md):
# vm-packages: busybox-static iproute2 iptables nftables conntrack nfct
# vm-packages: tcpdump netbase libtirpc-common
# vm-programs: ip ss xtables-legacy-multi nft conntrack nfct tcpdump
# vm-files: /usr/lib/x86_64-linux-gnu/xtables /etc/netconfig /etc/services
# vm-files: /etc/protocols /etc/rpc /etc/ethertypes
# vm-modules: veth nf_conntrack nf_conntrack_netlink nfnetlink_cthelper
# vm-modules: nfnetlink_queue x_tables xt_CT xt_conntrack xt_tcpudp
# vm-modules: iptable_raw iptable_filter ip6table_raw ip6table_filter
# vm-modules: nf_tables nft_ct nft_objref?
#
# busybox sh runs its own applets before anything on PATH, and its `ip`
# has no netns support: iproute2 is always called by its full path here
# (vm_testing.md, trap 16). Scenarios use in_ns, which does that.

VM_LOG=/tmp/vm/log
VM_NS="client router server"
CLIENT4=10.0.1.2
ROUTER4_C=10.0.1.1
ROUTER4_S=10.0.2.1
SERVER4=10.0.2.2
CLIENT6=fd00:1::2
ROUTER6_C=fd00:1::1
ROUTER6_S=fd00:2::1
SERVER6=fd00:2::2

_vm_failed=0
_vm_checks=0
_vm_dumps=0
_vm_pids=""

# ---- checks: each one becomes a TAP line on the host ----------------------

_vm_mark() {
	printf '@@CTALG %s\n' "$*"
}

# stdin as diagnostic lines of the current check
_vm_diag_in() {
	sed 's/^/@@CTALG # /'
}

diag() {
	printf '%s\n' "$*" | _vm_diag_in
}

# Check markers carry the guest's uptime (centiseconds), so the host can
# say which checks were slow.
ok() {
	_vm_checks=$((_vm_checks + 1))
	_vm_mark "ok $(vm_now) $*"
}

# not_ok DESCRIPTION [DIAGNOSTIC...]: a failed check, its diagnostics, and
# the state of the network right after it (the first two failures only).
not_ok() {
	_vm_checks=$((_vm_checks + 1))
	_vm_failed=$((_vm_failed + 1))
	_vm_mark "not ok $(vm_now) $1"
	shift
	for _l in "$@"; do
		printf '%s\n' "$_l" | _vm_diag_in
	done
	vm_dump
}

skip() {
	_vm_checks=$((_vm_checks + 1))
	_vm_mark "skip $(vm_now) $*"
}

# skip_all REASON: the scenario cannot run here; the host reports a skip.
skip_all() {
	_vm_mark "skip-all $*"
	vm_cleanup
	exit 0
}

# check DESCRIPTION COMMAND...: ok if COMMAND succeeds; on failure its
# output is the diagnostic.
check() {
	_desc=$1
	shift
	if _out=$("$@" 2>&1); then
		ok "$_desc"
	else
		not_ok "$_desc" "command: $*" "$_out"
	fi
}

# check_fails DESCRIPTION COMMAND...: ok if COMMAND fails (negative controls).
check_fails() {
	_desc=$1
	shift
	if _out=$("$@" 2>&1); then
		not_ok "$_desc" "command succeeded but must fail: $*" "$_out"
	else
		ok "$_desc"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "--- want" "$3" "+++ got" "$2"
	fi
}

# same_output DESCRIPTION 'COMMAND A' 'COMMAND B': both commands print the
# same lines. Timeouts tick while they run, so A runs before and after B
# and either run may match, line by line: expectations made at different
# times tick at different moments, so with several of them one line of B
# may match the first run and another the second. A mismatch shows a
# line-by-line diff.
same_output() {
	_desc=$1
	_a1=$(eval "$2" 2>&1)
	_b=$(eval "$3" 2>&1)
	_a2=$(eval "$2" 2>&1)
	printf '%s\n' "$_a1" >/tmp/vm/same.a1
	printf '%s\n' "$_b" >/tmp/vm/same.b
	printf '%s\n' "$_a2" >/tmp/vm/same.a
	if [ "$_a1" = "$_b" ] || [ "$_a2" = "$_b" ] ||
		_vm_same_lines /tmp/vm/same.a1 /tmp/vm/same.b /tmp/vm/same.a; then
		ok "$_desc"
		return 0
	fi
	not_ok "$_desc" "--- $3" "+++ $2" "$(diff /tmp/vm/same.b /tmp/vm/same.a)"
	return 1
}

# _vm_same_lines A1 B A2: the three files have as many lines, and each line
# of B is the same line of A1 or of A2.
_vm_same_lines() {
	awk 'FILENAME == ARGV[1] { a[FNR] = $0; na = FNR }
		FILENAME == ARGV[2] { b[FNR] = $0; nb = FNR }
		FILENAME == ARGV[3] { c[FNR] = $0; nc = FNR }
		END {
			if (na != nb || nc != nb)
				exit 1
			for (i = 1; i <= nb; i++)
				if (b[i] != a[i] && b[i] != c[i])
					exit 1
		}' "$@"
}

# ---- time and waiting ------------------------------------------------------

# vm_now: centiseconds since boot.
vm_now() {
	read -r _up _ </proc/uptime
	echo $((${_up%.*} * 100 + 1${_up#*.} - 100))
}

# wait_for SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_for() {
	_deadline=$(($(vm_now) + $1 * 100))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(vm_now)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
	return 0
}

_vm_listening() {
	case $2 in
	tcp) _f=-Hltn ;;
	udp) _f=-Hlun ;;
	esac
	in_ns "$1" ss "$_f" "sport = :$3" | grep -q .
}

# wait_port NS tcp|udp PORT: wait up to 10 s for a listener in NS.
wait_port() {
	wait_for 10 _vm_listening "$@"
}

# ---- namespaces and daemons -----------------------------------------------

# in_ns NS COMMAND...: run COMMAND (found on PATH, not a busybox applet)
# inside namespace NS.
in_ns() {
	_ns=$1
	shift
	/usr/sbin/ip netns exec "$_ns" "$@"
}

# spawn NAME NS COMMAND...: start a daemon in the background inside NS;
# its output goes to $VM_LOG/NAME.log and it is stopped by vm_cleanup.
spawn() {
	_name=$1
	_ns=$2
	shift 2
	# exec twice over (the subshell into ip, ip into COMMAND): the PID
	# recorded is COMMAND's, so stop and kill reach the program itself.
	(exec /usr/sbin/ip netns exec "$_ns" "$@") >"$VM_LOG/$_name.log" \
		2>&1 </dev/null &
	_vm_pids="$_vm_pids $_name=$!"
}

# background NAME COMMAND...: run COMMAND, which may be a shell function,
# in the background; `finish NAME` returns its exit status.
background() {
	_name=$1
	shift
	("$@") >"$VM_LOG/$_name.log" 2>&1 </dev/null &
	_vm_pids="$_vm_pids $_name=$!"
}

pid_of() {
	for _p in $_vm_pids; do
		[ "${_p%%=*}" = "$1" ] && echo "${_p#*=}" && return 0
	done
	return 1
}

# finish NAME SECONDS: wait up to SECONDS for a spawned or background
# command to end by itself (it is killed after that) and return its exit
# status; its output is in $VM_LOG/NAME.log.
finish() {
	_pid=$(pid_of "$1") || return 127
	wait_for "$2" _vm_exited "$_pid" || kill -9 "$_pid" 2>/dev/null
	wait "$_pid"
	_status=$?
	_vm_forget "$1"
	return $_status
}

# _vm_exited PID: the process has ended (a child not yet waited for is a
# zombie, which kill -0 still finds).
_vm_exited() {
	[ ! -e "/proc/$1" ] ||
		[ "$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat")" = Z ]
}

_vm_forget() {
	_rest=""
	for _p in $_vm_pids; do
		[ "${_p%%=*}" = "$1" ] || _rest="$_rest $_p"
	done
	_vm_pids=$_rest
}

# stop NAME: SIGTERM, up to 3 s, then SIGKILL; waits for that PID only
# (a bare `wait` would also wait for every other daemon).
stop() {
	_pid=$(pid_of "$1") || return 0
	kill "$_pid" 2>/dev/null
	wait_for 3 _vm_exited "$_pid" || kill -9 "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
	_vm_forget "$1"
}

vm_cleanup() {
	for _p in $_vm_pids; do
		stop "${_p%%=*}"
	done
}

# ---- the network: client | router | server --------------------------------

# net_setup: three namespaces joined by veth pairs, client c0 - r0 router
# r1 - s0 server, with IPv4 and IPv6 addresses and the router forwarding
# between them, and a capture on the router for the failure dump (none
# with VM_CAPTURE=0: a benchmark does not want its cost). Reports one
# check. (It starts a daemon, so it runs in the scenario's shell, not
# under `check`, whose command substitution is a subshell.)
net_setup() {
	if _out=$(_vm_net 2>&1); then
		[ "${VM_CAPTURE:-1}" = 0 ] ||
			spawn capture router tcpdump -i any -n -U -s 256 -Z root \
				-w /tmp/vm/capture.pcap
		# Addresses need no DAD; a ping each way proves the paths.
		if _out=$(wait_for 10 in_ns client ping -c 1 -W 1 "$SERVER4" &&
			wait_for 10 in_ns client ping -c 1 -W 1 "$SERVER6" 2>&1); then
			ok "network: client, router and server, IPv4 and IPv6"
			return 0
		fi
		_out="no ping through the router: $_out"
	fi
	not_ok "network: client, router and server, IPv4 and IPv6" "$_out"
	return 1
}

_vm_net() {
	for _ns in $VM_NS; do
		/usr/sbin/ip netns add "$_ns" || return 1
		/usr/sbin/ip -n "$_ns" link set lo up || return 1
	done
	/usr/sbin/ip link add c0 netns client type veth peer name r0 netns router &&
		/usr/sbin/ip link add s0 netns server type veth peer name r1 netns router ||
		return 1
	_vm_addr client c0 "$CLIENT4/24" "$CLIENT6/64" || return 1
	_vm_addr router r0 "$ROUTER4_C/24" "$ROUTER6_C/64" || return 1
	_vm_addr router r1 "$ROUTER4_S/24" "$ROUTER6_S/64" || return 1
	_vm_addr server s0 "$SERVER4/24" "$SERVER6/64" || return 1
	/usr/sbin/ip -n client route add default via "$ROUTER4_C" &&
		/usr/sbin/ip -n client -6 route add default via "$ROUTER6_C" &&
		/usr/sbin/ip -n server route add default via "$ROUTER4_S" &&
		/usr/sbin/ip -n server -6 route add default via "$ROUTER6_S" &&
		in_ns router sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward &&
			echo 1 >/proc/sys/net/ipv6/conf/all/forwarding'
}

_vm_addr() {
	/usr/sbin/ip -n "$1" addr add "$3" dev "$2" &&
		/usr/sbin/ip -n "$1" addr add "$4" dev "$2" nodad &&
		/usr/sbin/ip -n "$1" link set "$2" up
}

# ---- the router's firewall --------------------------------------------------

# router_rules iptables|nft SPEC...: the router's ruleset. Forwarded
# traffic is dropped unless it is ESTABLISHED or RELATED, or a new
# connection from the client side that a SPEC admits. A SPEC is
# [4:|6:]PROTO/PORT[=HELPER]: admit new connections to PORT (IPv4 and IPv6,
# or only the family given) and, with =HELPER, attach that helper to them
# in prerouting: `-j CT --helper` in the raw table for iptables (a
# template, before conntrack), `ct helper set` for nft (after conntrack,
# at filter priority: at raw priority there is no conntrack to set it on
# yet). The helper must be registered first, or the kernel refuses the
# rule.
#
# With CTALG_VM_NOHELPER=1 in the runner's environment no helper is
# attached anywhere: the mutation that proves a scenario depends on it.
router_rules() {
	_vm_variant=$1
	shift
	# For router_dropped, which may run in another shell than this one.
	echo "$_vm_variant" >/tmp/vm/router.variant
	if [ "${CTALG_VM_NOHELPER:-0}" = 1 ]; then
		set -- $(printf '%s\n' "$@" | sed 's/=.*//')
	fi
	for _ipt in iptables ip6tables; do
		in_ns router $_ipt -P FORWARD ACCEPT &&
			in_ns router $_ipt -F && in_ns router $_ipt -t raw -F ||
			return 1
	done
	in_ns router nft flush ruleset || return 1
	case $_vm_variant in
	iptables) _vm_rules_iptables "$@" ;;
	nft) _vm_rules_nft "$@" ;;
	*)
		echo "router_rules: unknown variant $_vm_variant" >&2
		return 1
		;;
	esac
}

# _vm_spec SPEC: set _fam (46, 4 or 6), _proto, _port, _helper.
_vm_spec() {
	_fam=46
	_s=$1
	case $_s in
	4:* | 6:*)
		_fam=${_s%%:*}
		_s=${_s#*:}
		;;
	esac
	_proto=${_s%%/*}
	_s=${_s#*/}
	_port=${_s%%=*}
	_helper=""
	case $_s in
	*=*) _helper=${_s#*=} ;;
	esac
}

_vm_rules_iptables() {
	for _ipt in iptables ip6tables; do
		in_ns router $_ipt -P FORWARD DROP &&
			in_ns router $_ipt -A FORWARD -m conntrack \
				--ctstate ESTABLISHED,RELATED -j ACCEPT || return 1
	done
	for _spec in "$@"; do
		_vm_spec "$_spec"
		for _ipt in iptables ip6tables; do
			case $_ipt:$_fam in
			iptables:6 | ip6tables:4) continue ;;
			esac
			in_ns router $_ipt -A FORWARD -i r0 -o r1 -p "$_proto" \
				--dport "$_port" -m conntrack --ctstate NEW \
				-j ACCEPT || return 1
			[ -z "$_helper" ] && continue
			in_ns router $_ipt -t raw -A PREROUTING -i r0 \
				-p "$_proto" --dport "$_port" \
				-j CT --helper "$_helper" || return 1
		done
	done
}

_vm_rules_nft() {
	_objs=""
	_pre=""
	_fwd=""
	for _spec in "$@"; do
		_vm_spec "$_spec"
		case $_fam in
		4) _match="meta nfproto ipv4 " ;;
		6) _match="meta nfproto ipv6 " ;;
		*) _match="" ;;
		esac
		_match="${_match}iifname \"r0\" $_proto dport $_port"
		_fwd="$_fwd
		$_match oifname \"r1\" ct state new accept"
		[ -z "$_helper" ] && continue
		_obj="$_helper-$_proto-$_port"
		_objs="$_objs
	ct helper $_obj { type \"$_helper\" protocol $_proto; l3proto inet; }"
		_pre="$_pre
		$_match ct helper set \"$_obj\""
	done
	in_ns router nft -f - <<EOF
table inet vm_router {$_objs
	chain vm_pre {
		type filter hook prerouting priority filter; policy accept;$_pre
	}
	chain vm_fwd {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept$_fwd
		counter drop
	}
}
EOF
}

# router_flush: empty the router's connection and expectation tables (both
# families), so a case starts from nothing.
router_flush() {
	{
		in_ns router conntrack -F -f ipv4
		in_ns router conntrack -F -f ipv6
		# one family or all: the kernel flushes every expectation
		in_ns router conntrack -F expect
	} >/dev/null 2>&1
}

# policy_dropped VARIANT CHAIN NFT_TABLE NFT_CHAIN: how many packets the
# router namespace's policy drop of CHAIN (iptables and ip6tables) or its
# counted drop in the nft chain (table inet NFT_TABLE) has dropped.
policy_dropped() {
	case $1 in
	iptables)
		for _ipt in iptables ip6tables; do
			in_ns router $_ipt -L "$2" -vnx | sed -n \
				"s/^Chain $2 (policy DROP \\([0-9]*\\) packets.*/\\1/p"
		done | awk '{ n += $1 } END { print n + 0 }'
		;;
	nft)
		in_ns router nft list chain inet "$3" "$4" |
			sed -n 's/.*counter packets \([0-9]*\) .*drop.*/\1/p' |
			awk '{ n += $1 } END { print n + 0 }'
		;;
	esac
}

# router_dropped: how many forwarded packets the router has dropped.
router_dropped() {
	policy_dropped "$(cat /tmp/vm/router.variant)" FORWARD vm_router vm_fwd
}

# hold NS MATCH...: drop outgoing packets matching the nft MATCH inside NS
# (an end host, not the router), to keep a data connection from consuming
# its expectation until the test has looked at it; release NS undoes it.
# TCP and TFTP retransmit, so the held flow goes on after the release.
hold() {
	_ns=$1
	shift
	in_ns "$_ns" nft -f - <<EOF
table inet vm_hold {
	chain out {
		type filter hook output priority filter; policy accept;
		$* counter drop
	}
}
EOF
}

release() {
	in_ns "$1" nft delete table inet vm_hold
}

# ---- expectations ------------------------------------------------------------

# expect_list NS: `conntrack -L expect` in NS (both families), one
# expectation per line with every field named uniquely: the timeout
# dropped, the mask's and master's ports as mask-sport/mask-dport and
# master-sport/master-dport, flag words gathered as flags=A,B. For example:
# proto=6 src=10.0.1.2 dst=10.0.2.2 sport=0 dport=30000
# mask-src=255.255.255.255 mask-dst=255.255.255.255 mask-sport=0
# mask-dport=65535 master-src=10.0.1.2 master-dst=10.0.2.2
# master-sport=40712 master-dport=21 class=0 helper=ftp
expect_list() {
	# conntrack(8) lists one family at a time, IPv4 unless told.
	{
		in_ns "$1" conntrack -L expect -f ipv4
		in_ns "$1" conntrack -L expect -f ipv6
	} 2>/dev/null | awk '{
		out = ""; pre = ""; flags = ""
		for (i = 1; i <= NF; i++) {
			t = $i
			if (i == 1 && t ~ /^[0-9]+$/)
				continue
			if (t ~ /^mask-src=/)
				pre = "mask-"
			else if (t ~ /^master-src=/)
				pre = "master-"
			else if (t ~ /^(class|helper|zone)=/)
				pre = ""
			if (t !~ /=/) {
				flags = flags (flags == "" ? "" : ",") t
				continue
			}
			k = substr(t, 1, index(t, "=") - 1)
			v = substr(t, index(t, "=") + 1)
			if (pre != "" && k !~ /^(mask|master)-/)
				k = pre k
			out = out " " k "=" v
		}
		if (flags != "")
			out = out " flags=" flags
		print substr(out, 2)
	}'
}

# expect_find NS FIELD=VALUE...: print the expectations in NS that have
# every FIELD=VALUE given (names as expect_list prints them).
expect_find() {
	_ns=$1
	shift
	_vm_expect_filter "$(expect_list "$_ns")" "$@"
}

# _vm_expect_filter LIST FIELD=VALUE...: the lines of LIST (expect_list's)
# that have every FIELD=VALUE; fails when there are none.
_vm_expect_filter() {
	_found=1
	_list=$1
	shift
	while IFS= read -r _line; do
		[ -n "$_line" ] || continue
		_all=1
		for _kv in "$@"; do
			case " $_line " in
			*" $_kv "*) ;;
			*)
				_all=0
				break
				;;
			esac
		done
		[ "$_all" = 1 ] && printf '%s\n' "$_line" && _found=0
	done <<EOF
$_list
EOF
	return $_found
}

# expect_check DESCRIPTION NS FIELD=VALUE...: within 10 s an expectation in
# NS has all the given fields; it is printed as a diagnostic either way,
# and kept in $EXPECT_FOUND.
expect_check() {
	_desc=$1
	shift
	if wait_for 10 _vm_expect_found "$@"; then
		ok "$_desc"
		diag "$EXPECT_FOUND"
		return 0
	fi
	not_ok "$_desc" "wanted: $*" "conntrack -L expect in $1:" \
		"$(expect_list "$1")"
	return 1
}

_vm_expect_found() {
	EXPECT_FOUND=$(expect_find "$@")
}

# expect_snapshot NS N: wait up to 10 s for NS to hold N expectations or
# more, and keep them in $EXPECT_SNAP, so that several checks need one
# listing (each costs about a second in the guest). Fails on timeout.
expect_snapshot() {
	wait_for 10 _vm_snap "$@"
}

_vm_snap() {
	EXPECT_SNAP=$(expect_list "$1")
	[ "$(printf '%s\n' "$EXPECT_SNAP" | grep -c .)" -ge "$2" ]
}

# expect_in FIELD=VALUE...: as expect_find, in $EXPECT_SNAP.
expect_in() {
	_vm_expect_filter "$EXPECT_SNAP" "$@"
}

# expect_check_in DESCRIPTION FIELD=VALUE...: as expect_check, in
# $EXPECT_SNAP (no waiting: expect_snapshot waited); the line found is
# kept in $EXPECT_FOUND.
expect_check_in() {
	_desc=$1
	shift
	if EXPECT_FOUND=$(expect_in "$@"); then
		ok "$_desc"
		diag "$EXPECT_FOUND"
		return 0
	fi
	not_ok "$_desc" "wanted: $*" "conntrack -L expect in the snapshot:" \
		"$EXPECT_SNAP"
	return 1
}

# expect_same DESCRIPTION NS ipv4|ipv6: a check that the project's `ctalg
# expect list` prints, line for line, what `conntrack -L expect` prints in
# NS for that family (timeouts tick between the two: see same_output).
expect_same() {
	same_output "$1" "in_ns $2 ctalg expect list family $3" \
		"in_ns $2 conntrack -L expect -f $3 2>/dev/null"
}

# field LINE NAME: the value of NAME=... in an expect_list line.
field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# ---- the reference: conntrackd in helper mode -------------------------------

# conntrackd_conf FIRST_QUEUE QUEUE_LEN "NAME FAMILY PROTO"...: write
# /tmp/vm/conntrackd.conf with one helper Type per argument, on queues from
# FIRST_QUEUE up, with QueueLen QUEUE_LEN unless it is empty.
conntrackd_conf() {
	_q=$1 _len=$2
	shift 2
	{
		cat <<EOF
General {
	LogFile /tmp/vm/log/conntrackd.file
	LockFile /tmp/vm/conntrackd.lock
	UNIX { Path /tmp/vm/conntrackd.ctl }
	Syslog off
}
Helper {
	Setup yes
EOF
		for _t in "$@"; do
			printf '\tType %s {\n\t\tQueueNum %d\n' "$_t" "$_q"
			[ -n "$_len" ] && printf '\t\tQueueLen %s\n' "$_len"
			printf '\t}\n'
			_q=$((_q + 1))
		done
		echo "}"
	} >/tmp/vm/conntrackd.conf
}

# conntrackd_start "NAME FAMILY PROTO"...: run conntrackd in the router
# namespace with one helper Type per argument (e.g. "ftp inet tcp"), each
# on its own queue from 0 up ("Setup yes": conntrackd creates the helpers
# itself, with their private data length). Reports one check: every queue
# bound, which conntrackd does after registering the helper with the
# kernel, and every helper enabled. It starts a daemon, so it runs in the
# scenario's shell, not under `check`.
conntrackd_start() {
	conntrackd_conf 0 "" "$@"
	_q=$#
	spawn conntrackd router conntrackd -C /tmp/vm/conntrackd.conf
	_desc="conntrackd registers $(printf '%s, ' "$@" | sed 's/, $//') on queues 0-$((_q - 1))"
	_i=0
	while [ "$_i" -lt "$_q" ]; do
		if ! wait_for 10 queue_bound "$_i"; then
			not_ok "$_desc" "queue $_i is not bound"
			return 1
		fi
		_i=$((_i + 1))
	done
	_n=$(nfct helper list | grep -c 'status = enabled')
	if [ "$_n" -ne "$_q" ]; then
		not_ok "$_desc" "$_n helpers enabled, not $_q:" \
			"$(nfct helper list)"
		return 1
	fi
	ok "$_desc"
}

# to_conntrackd HELPER PORTS "NAME FAMILY PROTO"...: hand the router's
# HELPER traffic on PORTS (router_rules' [4:|6:]PROTO/PORT list, one word)
# from ctalgd to conntrackd's plugin of the same name. ctalgd's helper is
# registered first, with its own private length, so the rules let go of it
# and it is deleted before conntrackd registers its own (conntrackd_start);
# then the rules attach that one. Four checks; runs in the scenario's
# shell, as conntrackd_start.
to_conntrackd() {
	_h=$1 _ports=$2
	shift 2
	check "ruleset without the helper" router_rules iptables $_ports
	ctalgd_stop
	check "ctalg helper delete $_h" ctalg helper delete "$_h"
	conntrackd_start "$@" || return 1
	check "ruleset attaching conntrackd's $_h" router_rules iptables \
		$(for _p in $_ports; do echo "$_p=$_h"; done)
}

# vsftpd_start [PASV_MIN [PASV_MAX]]: vsftpd in the server namespace,
# anonymous and read-only on /srv/ftp, over IPv4 and IPv6, its passive
# ports in PASV_MIN-PASV_MAX when given (a minimal guest needs no isolation,
# no seccomp: vm_testing.md trap 12). Reports one check.
vsftpd_start() {
	mkdir -p /srv/ftp /run/vsftpd/empty
	{
		printf '%s\n' listen=NO listen_ipv6=YES background=NO \
			anonymous_enable=YES no_anon_password=YES \
			local_enable=NO write_enable=NO anon_root=/srv/ftp \
			secure_chroot_dir=/run/vsftpd/empty isolate=NO \
			isolate_network=NO seccomp_sandbox=NO max_clients=0 \
			max_per_ip=0 xferlog_enable=NO
		[ -n "${1:-}" ] &&
			printf 'pasv_min_port=%s\npasv_max_port=%s\n' "$1" "${2:-$1}"
	} >/tmp/vm/vsftpd.conf
	spawn vsftpd server vsftpd /tmp/vm/vsftpd.conf
	check "vsftpd listens on port 21" wait_port server tcp 21
}

# tftpd_start: tftpd-hpa in the server namespace serving /srv/tftp, with
# /srv/tftp/data.bin of 64 KiB random bytes, its log in $VM_LOG/syslog.
# Reports one check. For the TFTP scenarios, which name tftpd-hpa and
# tftp-hpa in their vm-packages.
tftpd_start() {
	mkdir -p /srv/tftp
	head -c 65536 /dev/urandom >/srv/tftp/data.bin
	# in.tftpd logs only to syslog. No -a: with an address it fails in a
	# guest without resolvable names (vm_testing.md trap 10).
	spawn syslogd server syslogd -n -O "$VM_LOG/syslog"
	spawn tftpd server in.tftpd -L -v -s -u tftp /srv/tftp
	check "in.tftpd listens on udp port 69" wait_port server udp 69
}

# tftp_get ADDRESS OUT SECONDS: the client reads data.bin from the server
# at ADDRESS into OUT, killed after SECONDS; succeeds if the copy is
# intact. tftp by its full path: busybox's timeout would run its own tftp
# applet (trap 16).
tftp_get() {
	rm -f "$2"
	in_ns client timeout -s KILL "$3" /usr/bin/tftp -m binary "$1" \
		-c get data.bin "$2" && cmp /srv/tftp/data.bin "$2"
}

# tftp_negative SECONDS: the negative controls of a TFTP scenario, iptables
# over IPv4 and nft over IPv6: the request is still admitted, but with no
# helper nothing makes the server's answer RELATED, so the read (killed
# after SECONDS) fails, no expectation appears and the router drops the
# answer. Four checks per ruleset.
tftp_negative() {
	for _run in "iptables 4 $SERVER4" "nft 6 $SERVER6"; do
		set -- $_run "$1"
		router_flush
		check "$1, no helper: ruleset admitting udp/69 only" \
			router_rules "$1" udp/69
		_dropped=$(router_dropped)
		check_fails "$1, IPv$2 without the helper: the read fails" \
			tftp_get "$3" /tmp/vm/none.out "$4"
		check "$1, IPv$2 without the helper: no expectation" \
			test -z "$(expect_list router)"
		check "$1, IPv$2 without the helper: the router dropped the answer" \
			test "$(router_dropped)" -gt "$_dropped"
		set -- "$4"
	done
}

# ---- ctalgd ------------------------------------------------------------------

# ctalgd_start "NAME FAMILY PROTO"... [-- EXTRA]: run ctalgd in the router
# with one Type per argument, all on queue 0 (each packet names its helper),
# its log in $VM_LOG/ctalgd.log and its control socket $CTALGD_SOCK. EXTRA
# lines go into each Type block. Reports one check: queue 0 bound and every
# helper enabled. It starts a daemon, so it runs in the scenario's shell,
# not under `check`.
CTALGD_SOCK=/tmp/vm/ctalgd.sock
ctalgd_start() {
	_extra=""
	_types=""
	while [ $# -gt 0 ]; do
		if [ "$1" = "--" ]; then
			shift
			_extra="$*"
			break
		fi
		_types="$_types
$1"
		shift
	done
	{
		printf 'General {\n\tLogFile %s/ctalgd.log\n' "$VM_LOG"
		printf '\tUNIX { Path %s }\n}\nHelper {\n' "$CTALGD_SOCK"
		printf '%s\n' "$_types" | while IFS= read -r _t; do
			[ -n "$_t" ] || continue
			printf '\tType %s {\n\t\tQueueNum 0\n' "$_t"
			[ -n "$_extra" ] && printf '\t\t%s\n' "$_extra"
			printf '\t}\n'
		done
		echo "}"
	} >/tmp/vm/ctalgd.conf
	spawn ctalgd router ctalgd -C /tmp/vm/ctalgd.conf
	_n=$(printf '%s\n' "$_types" | grep -c .)
	_desc="ctalgd registers $(printf '%s\n' "$_types" | grep . |
		tr '\n' ',' | sed 's/,$//; s/,/, /g') on queue 0"
	if ! wait_for 10 queue_bound 0; then
		not_ok "$_desc" "queue 0 is not bound" "$(cat "$VM_LOG/ctalgd.log")"
		return 1
	fi
	_e=$(ctalg helper list | grep -c 'status = enabled')
	if [ "$_e" -ne "$_n" ]; then
		not_ok "$_desc" "$_e helpers enabled, not $_n:" \
			"$(ctalg helper list)" "$(cat "$VM_LOG/ctalgd.log")"
		return 1
	fi
	ok "$_desc"
}

# ctalgd_stop [SIGNAL]: send SIGNAL (default TERM) to ctalgd and wait up to
# 10 s for it to end.
ctalgd_stop() {
	_pid=$(pid_of ctalgd) || return 0
	kill "-${1:-TERM}" "$_pid"
	wait_for 10 _vm_exited "$_pid"
	wait "$_pid" 2>/dev/null
	_vm_forget ctalgd
}

# ctalgd_stat HELPER[/PROTO] FAMILY FIELD: a counter of `ctalg status -o
# json` for the Type of HELPER on FAMILY (inet or inet6), and on PROTO
# (tcp or udp) where HELPER has both. FIELD refused.REASON is the count of
# one refusal reason (address, port, max, ...).
ctalgd_stat() {
	case $1 in
	*/*) _proto=${1#*/} ;;
	*) _proto="[a-z]*" ;;
	esac
	# The Type's counters on one line, its refusals on the next.
	ctalg -o json status socket "$CTALGD_SOCK" | tr '{}' '\n\n' |
		grep -A 1 "\"name\":\"${1%/*}\",.*\"family\":\"$2\",\"proto\":\"$_proto\"" |
		case $3 in
		refused.*) sed -n "2s/.*\"${3#refused.}\":\([0-9]*\).*/\1/p" ;;
		*) sed -n "1s/.*\"$3\":\([0-9]*\).*/\1/p" ;;
		esac
}

# ctalgd_stats HELPER[/PROTO] FIELD: ctalgd_stat's FIELD on inet and on
# inet6, "V4 V6".
ctalgd_stats() {
	echo "$(ctalgd_stat "$1" inet "$2") $(ctalgd_stat "$1" inet6 "$2")"
}

# ctalgd_saw_both HELPER: the Types of HELPER on both families had packets.
ctalgd_saw_both() {
	test "$(ctalgd_stat "$1" inet packets)" -gt 0 -a \
		"$(ctalgd_stat "$1" inet6 packets)" -gt 0
}

# queue_bound NUM: a process listens on NFQUEUE NUM in the router.
queue_bound() {
	in_ns router cat /proc/net/netfilter/nfnetlink_queue |
		awk -v q="$1" '$1 == q { f = 1 } END { exit !f }'
}

# queue_stat NUM COLUMN: a counter of NFQUEUE NUM in the router, read where
# the queue lives (vm_testing.md trap 17). Columns: total, dropped,
# user_dropped, seq (the id of the last packet queued).
queue_stat() {
	in_ns router cat /proc/net/netfilter/nfnetlink_queue | awk -v q="$1" \
		-v c="$2" '$1 == q {
			i = c == "total" ? 3 : c == "dropped" ? 6 : \
			    c == "user_dropped" ? 7 : 8
			print $i
		}'
}

# queue_check DESCRIPTION NUM SEQ_BEFORE [USER_DROPS]: packets went through
# queue NUM since SEQ_BEFORE, the queue never overflowed, and at most
# USER_DROPS (default 0) were lost because the daemon's socket was full.
# It proves the user-space helper saw the traffic, and not an in-kernel
# helper of the same name or a bypass (vm_testing.md trap 6).
queue_check() {
	_seq=$(queue_stat "$2" seq)
	_drop=$(queue_stat "$2" dropped)
	_udrop=$(queue_stat "$2" user_dropped)
	if [ "${_seq:-0}" -gt "$3" ] && [ "$_drop" = 0 ] &&
		[ "${_udrop:-0}" -le "${4:-0}" ]; then
		ok "$1"
		diag "queue $2: $((_seq - $3)) packets, $_udrop lost to a full socket"
	else
		not_ok "$1" "queue $2: id sequence $3 -> ${_seq:-none}," \
			"dropped $_drop, user_dropped $_udrop (at most ${4:-0})"
	fi
}

# ---- failure dump -----------------------------------------------------------

# vm_dump: what the router's netfilter state and the logs were. Runs after
# a failed check (twice at most per boot, to keep the output readable); the
# whole capture comes back to the host as a file after the scenario.
vm_dump() {
	if [ "$_vm_dumps" -ge 2 ]; then
		diag "(state dump skipped: taken twice already)"
		return
	fi
	_vm_dumps=$((_vm_dumps + 1))
	{
		echo "==== state after the failure above"
		if [ -e /run/netns/router ]; then
			for _c in "iptables-save" "ip6tables-save" \
				"nft list ruleset" "conntrack -L -f ipv4" \
				"conntrack -L -f ipv6" \
				"conntrack -L expect -f ipv4" \
				"conntrack -L expect -f ipv6" \
				"cat /proc/net/netfilter/nfnetlink_queue"; do
				echo "---- router: $_c"
				in_ns router $_c
			done
			for _ns in client server; do
				echo "---- $_ns: nft list ruleset"
				in_ns $_ns nft list ruleset
			done
		fi
		echo "---- nfct helper list"
		nfct helper list
		if [ -e /tmp/vm/capture.pcap ]; then
			echo "---- capture on the router (last 40 packets)"
			in_ns router tcpdump -n -r /tmp/vm/capture.pcap 2>/dev/null |
				tail -n 40
		fi
		for _f in "$VM_LOG"/*; do
			[ -s "$_f" ] || continue
			echo "---- ${_f##*/} (last 20 lines)"
			tail -n 20 "$_f"
		done
		echo "---- dmesg (last 20 lines)"
		dmesg | tail -n 20
		echo "==== end of state"
	} 2>&1 | _vm_diag_in
}

# vm_artefact NAME FILE: send FILE to the host (gzip | base64 between
# markers); the host saves it beside the console log.
vm_artefact() {
	[ -s "$2" ] || return 0
	_vm_mark "artefact $1"
	gzip -c "$2" | base64
	_vm_mark "artefact-end"
}

# ---- the job ------------------------------------------------------------------

_vm_load_modules() {
	for _iptables in iptables iptables-save iptables-restore \
		ip6tables ip6tables-save ip6tables-restore; do
		ln -sf xtables-legacy-multi /usr/sbin/$_iptables
	done
	_bad=""
	while read -r _m; do
		[ -n "$_m" ] || continue
		insmod "$_m" 2>>/tmp/vm/insmod.err || _bad="$_bad ${_m##*/}"
	done </vm/modules
	if [ -n "$_bad" ]; then
		not_ok "load kernel modules" "failed:$_bad" \
			"$(cat /tmp/vm/insmod.err)"
		return 1
	fi
}

# load_module NAME: load a module the scenario lists on a
# "vm-modules-later" line, with its dependencies (e.g. an in-kernel helper
# that must not be there from the start).
load_module() {
	_found=1
	while read -r _n _m; do
		[ "$_n" = "$1" ] || continue
		_found=0
		_b=${_m##*/}
		_b=$(echo "${_b%.ko}" | tr - _)
		[ -e "/sys/module/$_b" ] && continue
		insmod "$_m" || return 1
	done </vm/modules.later
	return $_found
}

# host_main SCENARIO: run one scenario on a host rather than in the guest
# (tests/vm/run --host): no modules to load, no files of the guest's; the
# runner removes the namespaces afterwards.
host_main() {
	VM_KERNEL=host
	_vm_mark "time start $(vm_now)"
	. "$1"
	_vm_mark "time end $(vm_now)"
	vm_cleanup
	[ "$_vm_failed" -eq 0 ]
}

# vm_main SCENARIO: run one scenario and report; the exit status is 0 when
# every check passed.
vm_main() {
	mkdir -p "$VM_LOG"
	# VM_KERNEL, VM_SCENARIO and the runner's CTALG_VM_* settings
	. /vm/env
	# A trace of every command on the console, for debugging the tier.
	[ "$CTALG_VM_TRACE" = 1 ] && set -x
	_vm_mark "time start $(vm_now)"
	[ "$CTALG_VM_NOHELPER" = 1 ] &&
		diag "CTALG_VM_NOHELPER=1: router_rules attaches no helper"
	_vm_load_modules || return 1
	. "$1"
	_vm_mark "time end $(vm_now)"
	vm_cleanup
	[ "$_vm_failed" -eq 0 ] && return 0
	vm_artefact capture.pcap /tmp/vm/capture.pcap
	return 1
}
