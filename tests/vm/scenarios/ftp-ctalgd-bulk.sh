# SPDX-License-Identifier: GPL-2.0-or-later
# A 4 MiB FTP download through the policy-drop router, with ctalgd and then
# with conntrackd on the same traffic; before it, a small passive download
# whose expectation must be the same, field by field, from both daemons.
# - 6.12 gives the data connection no helper (the expectation names none),
#   so its packets never reach user space: the queue must see no more
#   than the control connection's handful.
# - 6.1 gives every expected connection the master's user-space helper, so
#   every data packet is queued whatever the daemon does; ctalgd passes
#   them on its fast path in batches, and takes GSO bursts whole. The
#   time of the download and the packets each daemon lost are measured
#   and reported for both.
# vm-packages: vsftpd curl conntrackd
# vm-programs: vsftpd curl conntrackd
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_ftp.so

net_setup || return 1
vsftpd_start 30000
head -c 4194304 /dev/urandom >/srv/ftp/big.bin
head -c 1000 /dev/urandom >/srv/ftp/small.bin

# download NAME: fetch big.bin in passive mode; prints the milliseconds.
download() {
	_t0=$(vm_now)
	in_ns client curl -sS --disable-epsv --max-time 120 \
		-o "/tmp/vm/$1.out" "ftp://$SERVER4/big.bin" || return 1
	echo $((($(vm_now) - _t0) * 10))
}

# expectation NAME: a small passive download held at the client until the
# expectation is read; prints it without the master's source port (which
# differs from run to run), for comparing one daemon's with another's.
expectation() {
	hold client tcp dport 30000
	in_ns client curl -sS --disable-epsv --max-time 20 -o /dev/null \
		"ftp://$SERVER4/small.bin" &
	_curl=$!
	wait_for 10 expect_find router dport=30000 >/dev/null
	expect_find router dport=30000 | sed 's/ master-sport=[0-9]*//'
	release client
	wait "$_curl"
}

# measure NAME DAEMON: one download through DAEMON; reports its time, the
# packets queue 0 saw and lost, and checks the data.
measure() {
	in_ns router conntrack -F 2>/dev/null
	in_ns router conntrack -F expect 2>/dev/null
	seq0=$(queue_stat 0 seq)
	udrop0=$(queue_stat 0 user_dropped)
	drop0=$(queue_stat 0 dropped)
	ms=$(download "$1")
	check "$1: the 4 MiB download succeeds" test -n "$ms"
	check "$1: the file arrives intact" cmp /srv/ftp/big.bin "/tmp/vm/$1.out"
	queued=$(($(queue_stat 0 seq) - seq0))
	lost=$(($(queue_stat 0 user_dropped) - udrop0 + $(queue_stat 0 dropped) - drop0))
	diag "$1 on $VM_KERNEL: ${ms} ms, $queued packets queued, $lost lost"
}

ctalgd_start "ftp inet tcp" || return 1
check "ruleset attaching ftp to tcp/21" router_rules iptables 4:tcp/21=ftp
exp_ctalgd=$(expectation)
check "ctalgd: the passive expectation (client -> server:30000)" \
	test -n "$exp_ctalgd"
diag "$exp_ctalgd"
measure ctalgd
q_ctalgd=$queued
if [ "$VM_KERNEL" = 6.1 ]; then
	# ctalgd takes GSO bursts whole, so the messages are few (about
	# 160 for 4 MiB, against 3200 segments): the bytes tell that the
	# data went through the queue.
	qbytes=$(ctalgd_stat ftp inet bytes)
	check "6.1: the data connection's packets are queued (inherited helper): $queued messages, $qbytes bytes" \
		test "${qbytes:-0}" -ge 4000000
	check_eq "6.1: ctalgd lost none of them" "$lost" 0
	diag "$(ctalg status socket $CTALGD_SOCK | grep -E 'fastpath|folded')"
else
	check "6.12: the download adds no more than a handful of packets to the queue ($queued)" \
		test "$queued" -le 40
fi

# The same through conntrackd: ctalgd's registration goes first (another
# private length), and the rules must let go of it.
to_conntrackd ftp 4:tcp/21 "ftp inet tcp" || return 1
# conntrackd's ftp helper never parses the first line of a direction, and
# loses state when packets cross: a pause after the greeting (trap 4).
# conntrackd never parses the first line of a direction and needs the
# greeting and the first command not to cross: the small download's
# client waits for each answer, as curl does.
exp_conntrackd=$(expectation)
check_eq "the same expectation, field by field, from ctalgd and conntrackd" \
	"$exp_ctalgd" "$exp_conntrackd"
measure conntrackd
diag "queued: ctalgd $q_ctalgd, conntrackd $queued"
