# SPDX-License-Identifier: GPL-2.0-or-later
# The benchmark of bench/README, as a vm scenario: bench/run boots each
# kernel once with it (tests/vm/run, two CPUs). In one boot, on the same
# traffic through the policy-drop router, every contender in turn:
#   none        no helper: the ceiling (the port admitted, nothing parsed)
#   kernel      the in-kernel helper, nf_conntrack_ftp
#   conntrackd  conntrackd's ftp helper (one queue, one thread)
#   ctalgd      ctalgd's ftp helper on one queue (one worker thread)
#   ctalgd2     ctalgd's ftp helper on two queues (two worker threads),
#               the connections split by a bit of the client's port
# The tests (vm-bench, tests/vm/tools/vm-bench.c, drives the load):
#   lines1, lines100, lines10k  short command lines, each its own segment,
#                               over 1, 100 and 10 000 connections
#   sess1, sess100              FTP control sessions that each get a 227
#                               and so an expectation, 1 and 100 at a time
#   download                    a 4 MiB passive download (curl, vsftpd)
# Each test runs BENCH_RUNS times per contender, the contenders taking
# turns (their order rotates every round), so that every one meets the
# same conditions. Every run prints one "BENCH" diagnostic line that
# bench/report turns into medians and ratios.
#
# Settings (bench/run passes them): BENCH_RUNS, BENCH_TESTS,
# BENCH_CONTENDERS, BENCH_LINES1, BENCH_LINES100, BENCH_LINES10K (lines
# per connection), BENCH_WINDOW (lines on their way at most), BENCH_SESS1,
# BENCH_SESS100 (sessions per run), BENCH_LIMIT (seconds a run may
# take).
# vm-packages: conntrackd vsftpd curl
# vm-programs: conntrackd vsftpd curl
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_ftp.so
# vm-modules-later: nf_conntrack_ftp

RUNS=${BENCH_RUNS:-5}
TESTS=${BENCH_TESTS:-lines1 lines100 lines10k sess1 sess100 download}
CONTENDERS=${BENCH_CONTENDERS:-none kernel conntrackd ctalgd ctalgd2}
WINDOW=${BENCH_WINDOW:-64}
LIMIT=${BENCH_LIMIT:-120}
PORT=21
FTP_PORT=2121

VM_CAPTURE=0
net_setup || return 1

# Room for 10 000 connections and their expectations; the table sizes are
# the initial namespace's.
echo 262144 >/proc/sys/net/netfilter/nf_conntrack_max
echo 65536 >/sys/module/nf_conntrack/parameters/hashsize
echo 65536 >/proc/sys/net/netfilter/nf_conntrack_expect_max
# conntrackd has no setting for its queue socket's receive buffer and
# takes the default: with the stock one (208 KiB) it overruns (ENOBUFS,
# packets lost) at 10 000 connections and the run never ends. Every
# socket gets ctalgd's 8 MiB instead, so that the figures compare the
# work per packet, not the losses (bench/README). Where the setting is
# per namespace (newer kernels), the router's is set too.
echo 8388608 >/proc/sys/net/core/rmem_default
echo 8388608 >/proc/sys/net/core/rmem_max
in_ns router sysctl -qw net.core.rmem_default=8388608 2>/dev/null
in_ns router sysctl -qw net.core.rmem_max=8388608 2>/dev/null
in_ns client sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
in_ns client sysctl -qw net.ipv4.tcp_autocorking=0
in_ns server sysctl -qw net.core.somaxconn=65535
in_ns server sysctl -qw net.ipv4.tcp_max_syn_backlog=65535
ulimit -n 262144

mkdir -p /srv/ftp /run/vsftpd/empty
head -c 4194304 /dev/urandom >/srv/ftp/big.bin
cat >/tmp/vm/vsftpd.conf <<EOF
listen=YES
listen_port=$FTP_PORT
background=NO
anonymous_enable=YES
no_anon_password=YES
local_enable=NO
write_enable=NO
anon_root=/srv/ftp
secure_chroot_dir=/run/vsftpd/empty
isolate=NO
isolate_network=NO
seccomp_sandbox=NO
pasv_min_port=30000
pasv_max_port=30999
xferlog_enable=NO
EOF
spawn vsftpd server vsftpd /tmp/vm/vsftpd.conf
check "vsftpd listens on port $FTP_PORT" wait_port server tcp $FTP_PORT

# ctalgd runs all along with three helpers under their own names: ftpq1
# on queue 0 (the one-queue contender), ftpq2a and ftpq2b on queues 1 and
# 2 (the two-queue one). Idle helpers cost nothing; the ruleset picks.
cat >/tmp/vm/ctalgd.conf <<EOF
General {
	LogFile $VM_LOG/ctalgd.log
	UNIX { Path $CTALGD_SOCK }
}
Helper {
	Type ftp inet tcp { QueueNum 0 KernelName ftpq1 }
	Type ftp inet tcp { QueueNum 1 KernelName ftpq2a }
	Type ftp inet tcp { QueueNum 2 KernelName ftpq2b }
}
EOF
spawn ctalgd router ctalgd -C /tmp/vm/ctalgd.conf
check "ctalgd binds queues 0, 1 and 2" \
	wait_for 10 sh -c '. /vm/guest.sh; queue_bound 0 && queue_bound 1 && queue_bound 2'

# conntrackd's Type name is its kernel name, "ftp", as the kernel's own:
# the two take turns (conntrackd_on / kernel_on). Its queue length is
# ctalgd's, 4096 (conntrackd's default is the kernel's 1024).
conntrackd_conf 3 4096 "ftp inet tcp"

# rules HELPER...: the router's ruleset, nft: forward policy drop,
# ESTABLISHED and RELATED accepted, new connections to the control ports
# admitted; no HELPER: nothing attached (and, for the download, the
# passive ports admitted); one: attached to every control connection;
# two: split by the second lowest bit of the client's port (connect()
# takes even ports, so the lowest bit is always 0).
rules() {
	_objs=""
	_pre=""
	_fwd=""
	_match="iifname \"r0\" tcp dport { $PORT, $FTP_PORT } ct state new"
	case $# in
	0) _fwd="iifname \"r0\" tcp dport 30000-30999 ct state new accept" ;;
	1) _pre="$_match ct helper set \"h0\"" ;;
	2) _pre="$_match tcp sport & 2 == 0 ct helper set \"h0\"
		$_match tcp sport & 2 == 2 ct helper set \"h1\"" ;;
	esac
	_i=0
	for _h in "$@"; do
		_objs="$_objs
	ct helper h$_i {
		type \"$_h\" protocol tcp
		l3proto ip
	}"
		_i=$((_i + 1))
	done
	in_ns router nft flush ruleset || return 1
	in_ns router nft -f - <<EOF
table ip bench {$_objs
	chain pre {
		type filter hook prerouting priority filter; policy accept;
		$_pre
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "r0" tcp dport { $PORT, $FTP_PORT } ct state new accept
		$_fwd
	}
}
EOF
}

conntrackd_on() {
	spawn conntrackd router conntrackd -C /tmp/vm/conntrackd.conf
	wait_for 10 queue_bound 3 &&
		wait_for 10 sh -c 'nfct helper list | grep -q "status = enabled"'
}

# conntrackd leaves its helper registered: it goes, so that the kernel's
# "ftp" can load.
conntrackd_off() {
	_pid=$(pidof conntrackd) && kill "$_pid"
	wait_for 10 sh -c '! pidof conntrackd'
	stop conntrackd
	ctalg helper delete ftp inet tcp >/dev/null
}

kernel_on() {
	load_module nf_conntrack_ftp
}

kernel_off() {
	rmmod nf_conntrack_ftp
}

# contender_on NAME: start it and load its ruleset; prints the daemon's
# PID (0 for none) and the queue it uses (- for none).
contender_on() {
	case $1 in
	none) rules && echo "0 -" ;;
	kernel) kernel_on && rules ftp && echo "0 -" ;;
	conntrackd) conntrackd_on && rules ftp && echo "$(pidof conntrackd) 3" ;;
	ctalgd) rules ftpq1 && echo "$(pidof ctalgd) 0" ;;
	ctalgd2) rules ftpq2a ftpq2b && echo "$(pidof ctalgd) 1,2" ;;
	esac
}

contender_off() {
	in_ns router nft flush ruleset
	router_flush
	case $1 in
	kernel) kernel_off ;;
	conntrackd) conntrackd_off ;;
	esac
}

# queue_lost QUEUES: packets the queues dropped or lost to a full socket.
queue_lost() {
	_n=0
	for _q in $(echo "$1" | tr ',' ' '); do
		[ "$_q" = - ] && continue
		_n=$((_n + $(queue_stat "$_q" dropped) + $(queue_stat "$_q" user_dropped)))
	done
	echo $_n
}

# queue_counters QUEUES: ctalgd's batches and verdict messages on QUEUES
# so far (ctalg status), "BATCHES MESSAGES"; "0 0" for other daemons.
queue_counters() {
	case $1 in
	0|1,2) ;;
	*) echo "0 0" && return ;;
	esac
	ctalg status socket $CTALGD_SOCK | awk -v qs=",$1," '
		/^queue [0-9]+: packets/ {
			q = $2; sub(/:/, "", q)
			if (index(qs, "," q ",")) { b += $6; m += $12 }
		}
		END { print b + 0, m + 0 }'
}

# cpu_ns PID: time on the CPU of every thread of PID, in ns.
cpu_ns() {
	[ "$1" = 0 ] && echo 0 && return
	cat /proc/"$1"/task/*/schedstat | awk '{ n += $1 } END { printf "%d\n", n }'
}

guest_ticks() {
	awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }' /proc/stat
}

router_pkts() {
	in_ns router cat /proc/net/dev | awk -F'[: ]+' '
		$2 == "r0" || $2 == "r1" { n += $4 } END { print n + 0 }'
}

# download PID: a 4 MiB passive download; prints vm-bench's fields.
download() {
	_c0=$(cpu_ns "$1")
	_p0=$(router_pkts)
	_g0=$(guest_ticks)
	_s=$(in_ns client curl -sS --disable-epsv --max-time "$LIMIT" \
		-w '%{time_total}' -o /tmp/vm/big.out \
		"ftp://$SERVER4:$FTP_PORT/big.bin") || return 1
	_g1=$(guest_ticks)
	cmp -s /srv/ftp/big.bin /tmp/vm/big.out || return 1
	echo "$_s $(($(router_pkts) - _p0)) $(($(cpu_ns "$1") - _c0)) $_g0 $_g1" |
		awk '{ printf "mode=download bytes=4194304 ms=%.3f pkts=%d " \
			"daemon_cpu_ms=%.3f guest_busy_ms=%d guest_ms=%d\n",
			$1 * 1000, $2, $3 / 1e6, ($6 - $4) * 10, ($7 - $5) * 10 }'
}

# measure TEST PID: one run of TEST; prints vm-bench's line. A run that
# does not end in BENCH_LIMIT seconds fails (a contender that lost the
# traffic must not hang the boot).
measure() {
	case $1 in
	lines1) in_ns router timeout "$LIMIT" vm-bench lines $PORT 1 "${BENCH_LINES1:-10000}" "$WINDOW" "$2" ;;
	lines100) in_ns router timeout "$LIMIT" vm-bench lines $PORT 100 "${BENCH_LINES100:-100}" "$WINDOW" "$2" ;;
	lines10k) in_ns router timeout "$LIMIT" vm-bench lines $PORT 10000 "${BENCH_LINES10K:-2}" "$WINDOW" "$2" ;;
	sess1) in_ns router timeout "$LIMIT" vm-bench sessions $PORT 1 "${BENCH_SESS1:-200}" "$2" ;;
	sess100) in_ns router timeout "$LIMIT" vm-bench sessions $PORT 100 "${BENCH_SESS100:-2000}" "$2" ;;
	download) download "$2" ;;
	esac
}

# expectations: how many the router holds (IPv4).
expectations() {
	in_ns router conntrack -L expect 2>/dev/null | grep -c .
}

ncont=$(echo $CONTENDERS | wc -w)
diag "BENCH-START kernel=$VM_KERNEL ($(uname -r)) cpus=$(nproc) runs=$RUNS window=$WINDOW"
for test in $TESTS; do
	r=1
	while [ "$r" -le "$RUNS" ]; do
		# The order rotates every round.
		set -- $CONTENDERS
		k=$(((r - 1) % ncont))
		while [ "$k" -gt 0 ]; do
			_first=$1
			shift
			set -- "$@" "$_first"
			k=$((k - 1))
		done
		for c in "$@"; do
			desc="$test, $c, run $r"
			if ! on=$(contender_on "$c" 2>&1); then
				not_ok "$desc: start the contender" "$on"
				contender_off "$c"
				continue
			fi
			on=$(echo "$on" | tail -n 1)
			pid=${on% *}
			queues=${on#* }
			lost0=$(queue_lost "$queues")
			qc0=$(queue_counters "$queues")
			if out=$(measure "$test" "$pid" 2>&1); then
				line=$(echo "$out" | tail -n 1)
				lost=$(($(queue_lost "$queues") - lost0))
				qc1=$(queue_counters "$queues")
				extra="lost=$lost batches=$((${qc1% *} - ${qc0% *})) verdict_msgs=$((${qc1#* } - ${qc0#* }))"
				case $test in
				sess*) extra="$extra expectations=$(expectations)" ;;
				esac
				ok "$desc"
				diag "BENCH kernel=$VM_KERNEL test=$test contender=$c run=$r $line $extra"
			else
				not_ok "$desc" "$out
$(in_ns router cat /proc/net/netfilter/nfnetlink_queue)
$(in_ns router conntrack -C) connections
$(tail -n 5 /tmp/vm/log/conntrackd.file "$VM_LOG/ctalgd.log" 2>&1)"
			fi
			contender_off "$c"
		done
		r=$((r + 1))
	done
done
diag "$(ctalg status socket $CTALGD_SOCK)"
