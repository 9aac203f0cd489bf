# SPDX-License-Identifier: GPL-2.0-or-later
# Network namespaces for tests on this machine's kernel. Source after
# tap.sh. Every namespace a test makes carries the test's PID in its name,
# so tests can run side by side, and is deleted when the test exits.

NETNS_PREFIX="ctalg-$$"
_netns_list=""

# Skip the whole test unless we are root with ip(8) and netns support.
netns_require() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root for network namespaces"
	command -v ip >/dev/null 2>&1 || skip_all "ip (iproute2) is not installed"
	for _t in "$@"; do
		command -v "$_t" >/dev/null 2>&1 || skip_all "$_t is not installed"
	done
	ip netns add "$NETNS_PREFIX-probe" 2>/dev/null ||
		skip_all "cannot create network namespaces here"
	ip netns del "$NETNS_PREFIX-probe"
	trap netns_cleanup EXIT
	trap 'exit 1' INT TERM
}

# netns_new NAME: create "$NETNS_PREFIX-NAME" with lo up; prints its name.
netns_new() {
	_ns="$NETNS_PREFIX-$1"
	ip netns add "$_ns" || return 1
	ip -n "$_ns" link set lo up
	# Events for every new conntrack, whether or not a listener existed
	# when it was created (the default, 2, only adds them for later ones).
	ip netns exec "$_ns" sysctl -qw net.netfilter.nf_conntrack_events=1 \
		2>/dev/null || true
	_netns_list="$_netns_list $_ns"
	echo "$_ns"
}

netns_cleanup() {
	# Kill what still runs in our namespaces, then delete them. Those made
	# by `ns=$(netns_new x)` are not in _netns_list (a subshell set it),
	# so every namespace with our prefix is taken.
	_netns_list="$_netns_list $(ip netns list 2>/dev/null |
		awk -v p="$NETNS_PREFIX-" 'index($1, p) == 1 { print $1 }')"
	for _ns in $_netns_list; do
		for _p in $(ip netns pids "$_ns" 2>/dev/null); do
			kill "$_p" 2>/dev/null || true # may be gone; set -e
		done
	done
	for _ns in $_netns_list; do
		ip netns del "$_ns" 2>/dev/null || true
	done
	_netns_list=""
}

# in_ns NS COMMAND...: run COMMAND inside namespace NS.
in_ns() {
	_ns=$1
	shift
	ip netns exec "$_ns" "$@"
}

# wait_for TIMEOUT_S COMMAND...: poll (every 50 ms) until COMMAND succeeds.
wait_for() {
	_deadline=$(($(date +%s%N) / 1000000 + $1 * 1000))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $(($(date +%s%N) / 1000000)) -ge "$_deadline" ] && return 1
		sleep 0.05
	done
	return 0
}

# wait_port NS PROTO PORT: wait up to 5 s for a listener (tcp) or bound
# socket (udp) on PORT inside NS.
wait_port() {
	case "$2" in
	tcp) wait_for 5 sh -c "ip netns exec $1 ss -Hltn 'sport = :$3' | grep -q ." ;;
	udp) wait_for 5 sh -c "ip netns exec $1 ss -Hlun 'sport = :$3' | grep -q ." ;;
	esac
}

# same_output DESCRIPTION 'COMMAND A' 'COMMAND B': the two commands print
# the same lines. Timeouts tick while they run, so A runs before and after
# B and either run may match; a mismatch shows a diff.
same_output() {
	_desc=$1
	_a1=$(eval "$2" 2>&1)
	_b=$(eval "$3" 2>&1)
	_a2=$(eval "$2" 2>&1)
	if [ "$_a1" = "$_b" ] || [ "$_a2" = "$_b" ]; then
		ok "$_desc"
	else
		not_ok "$_desc" "--- $3" "$_b" "+++ $2" "$_a2" \
			"diff:" "$(printf '%s\n' "$_b" >/tmp/ctalg-$$-b; printf '%s\n' "$_a2" | diff /tmp/ctalg-$$-b - ; rm -f /tmp/ctalg-$$-b)"
	fi
}

# netns_conntrack NS: turn connection tracking on in NS. The kernel only
# tracks in a namespace whose ruleset uses conntrack, so add one such rule.
netns_conntrack() {
	ip netns exec "$1" nft -f - <<'NFT'
table inet ctalg_track {
	chain out { type filter hook output priority 0; ct state new counter; }
	chain in { type filter hook input priority 0; ct state new counter; }
}
NFT
}
