#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ctalg expect against conntrack(8) on this machine's kernel, in a fresh
# network namespace, for IPv4 and IPv6: expectations made by real traffic
# through the kernel's ftp, tftp and sip helpers and by `ctalg expect add`;
# list and get compared line for line; watch compared with
# `conntrack -E expect` for NEW and DESTROY; delete (by tuple, zone, id,
# helper) and flush (all, or one family) checked with conntrack(8); JSON
# parsed and checked field by field against conntrack(8)'s text.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/exp.sh
netns_require conntrack socat python3 iptables ip6tables
CTALG=${CTALG:-build/cli/ctalg}

ns=$(netns_new exp)
exp_ns_setup "$ns" || skip_all "cannot attach the kernel's helpers here"
out=$EXP_DIR # removed on exit

# conntrack(8), the reference: its summary line goes to stderr.
ct() {
	in_ns "$ns" conntrack "$@" 2>/dev/null
}

c() {
	in_ns "$ns" "$CTALG" "$@"
}

# Listings taken until the two agree (an expectation's timeout may tick
# between them), then compared field by field.
json_vs_conntrack() {
	_desc=$1 _ours=$2 _ref=$3
	for _try in 1 2 3; do
		eval "$_ours" >"$out/j" 2>&1
		eval "$_ref" >"$out/t" 2>&1
		_diff=$(python3 tests/lib/exp_text.py "$out/j" "$out/t") && break
	done
	if [ -z "$_diff" ] && [ -s "$out/t" ]; then
		ok "$_desc"
	else
		not_ok "$_desc" "$_diff" "$(cat "$out/j")" "$(cat "$out/t")"
	fi
}

# ---- watchers first: every event from here on is seen by all of them ----
# Started without a subshell in between, so that $! is the program.
ip netns exec "$ns" "$CTALG" expect watch >"$out/w" 2>"$out/w.err" &
w_pid=$!
ip netns exec "$ns" "$CTALG" expect watch -o json >"$out/wj" 2>&1 &
wj_pid=$!
ip netns exec "$ns" "$CTALG" expect watch event destroy family ipv6 \
	>"$out/wf" 2>&1 &
wf_pid=$!
ip netns exec "$ns" conntrack -E expect >"$out/ce" 2>/dev/null &
ce_pid=$!
# A first expectation shows that every watcher listens.
sleep 0.2
exp_tftp "$ns" ipv4 40999
if ! wait_for 5 sh -c "grep -q 'dport=40999 ' '$out/w' &&
		grep -q 'dport=40999 ' '$out/ce' &&
		grep -q '\"dport\":40999' '$out/wj'"; then
	skip_all "the watchers saw no event (nf_conntrack_events?)"
fi

# ---- expectations from traffic and from ctalg expect add ----
for fam in ipv4 ipv6; do
	if exp_scenario "$ns" "$fam"; then
		ok "$fam: expectations from ftp, tftp and sip traffic and add"
	else
		not_ok "$fam: expectations from ftp, tftp and sip traffic and add" \
			"$(ct -L expect -f "$fam")"
	fi
done

# ---- list ----
for fam in ipv4 ipv6; do
	same_output "list family $fam is conntrack -L expect -f $fam" \
		"c expect list family $fam" "ct -L expect -f $fam"
done
# Seven of each family, and the first tftp one.
check_eq "eight IPv4 and seven IPv6 expectations" \
	"$(ct -L expect -f ipv4 | wc -l) $(ct -L expect -f ipv6 | wc -l)" "8 7"
same_output "list family inet6 is family ipv6" \
	"c expect list family inet6" "c expect list family ipv6"
same_output "list (every family) is both listings of conntrack(8)" \
	"c expect list | sort" \
	"{ ct -L expect -f ipv4; ct -L expect -f ipv6; } | sort"
same_output "list proto udp: conntrack's proto=17 lines" \
	"c expect list family ipv4 proto udp" \
	"ct -L expect -f ipv4 | grep ' proto=17 '"
same_output "list proto 6 helper ftp: conntrack's ftp lines" \
	"c expect list proto 6 helper ftp | sort" \
	"{ ct -L expect -f ipv4; ct -L expect -f ipv6; } |
		grep ' proto=6 .*helper=ftp\$' | sort"
same_output "list helper tftp family inet: conntrack's tftp lines" \
	"c expect list helper tftp family inet" \
	"ct -L expect -f ipv4 | grep 'helper=tftp\$'"
check_eq "list helper nosuch: nothing" "$(c expect list helper nosuch)" ""

# -o timestamp: the prefix, then the same line.
c expect list family ipv4 timestamp >"$out/ts"
if grep -qvE '^\[[0-9]{10}\.[0-9 ]{6}\]	[0-9]+ proto=' "$out/ts"; then
	not_ok "list timestamp: conntrack -o timestamp's prefix" \
		"$(cat "$out/ts")"
else
	ok "list timestamp: conntrack -o timestamp's prefix"
fi
same_output "list timestamp: the same lines after the prefix" \
	"c expect list family ipv4 timestamp | cut -f2-" \
	"ct -L expect -f ipv4"

for fam in ipv4 ipv6; do
	json_vs_conntrack "list -o json, $fam: every field as conntrack(8)" \
		"c expect list family $fam -o json" "ct -L expect -f $fam"
done
# What the text leaves out: NAT and the expectfn, as the scenario asked.
c -o json expect list proto udp helper sip >"$out/nat"
if python3 - "$out/nat" <<'EOF'; then
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
nat = [o for o in objs if 'nat' in o]
assert len(objs) == 6 and len(nat) == 2, (len(objs), len(nat))
for o in nat:
    lo = '::1' if o['family'] == 'ipv6' else '127.0.0.1'
    assert o['tuple']['dport'] == 7003, o
    assert o['nat']['dir'] == 'orig', o
    assert o['nat']['tuple']['src'] == lo, o
    assert o['nat']['tuple']['sport'] == 7100, o
    assert o['fn'] == 'nat-follow-master', o
    assert o['class'] == 3, o
    assert isinstance(o['id'], int), o
EOF
	ok "list -o json: nat and fn of the NAT expectations"
else
	not_ok "list -o json: nat and fn of the NAT expectations" "$(cat "$out/nat")"
fi

# ---- get ----
same_output "get ipv4 ftp data port 1025 is conntrack -G expect" \
	"c expect get proto tcp src 127.0.0.1 dst 127.0.0.1 dport 1025" \
	"ct -G expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 1025 \
		--reply-port-src 0 --reply-port-dst 0"
same_output "get ipv6 tftp is conntrack -G expect" \
	"c expect get proto udp src ::1 dst ::1 dport 30103" \
	"ct -G expect -s ::1 -d ::1 -p udp --sport 0 --dport 30103 \
		--reply-port-src 0 --reply-port-dst 0"

# ---- delete ----
id=$(c -o json expect get proto tcp src ::1 dst ::1 dport 1026 |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
wrong=$(((id + 1) % 4294967296))
c expect delete proto tcp src ::1 dst ::1 dport 1026 id "$wrong" \
	>"$out/o" 2>&1
check_eq "delete with another id: refused (exit 1)" "$?" 1
check_eq "delete with another id: the kernel's ENOENT" "$(cat "$out/o")" \
	"ctalg: expect delete: No such file or directory"
c expect delete proto tcp src ::1 dst ::1 dport 1026 id "$id"
check_eq "delete with its id: exit 0" "$?" 0
check_eq "delete: conntrack(8) no longer lists it" \
	"$(ct -L expect -f ipv6 | grep -c 'dport=1026 ')" 0
c expect delete proto tcp src 127.0.0.1 dst 127.0.0.1 dport 1025
check_eq "delete by tuple: exit 0" "$?" 0
check_eq "delete by tuple: conntrack(8) no longer lists it" \
	"$(ct -L expect -f ipv4 | grep -c 'dport=1025 ')" 0
check_eq "delete by tuple: the others stay" \
	"$(ct -L expect -f ipv4 | wc -l)" 7
c expect delete helper tftp
check_eq "delete helper tftp: exit 0" "$?" 0
check_eq "delete helper tftp: none left in either family" \
	"$({ ct -L expect -f ipv4; ct -L expect -f ipv6; } | grep -c helper=tftp)" 0
check_eq "delete helper tftp: the sip ones stay" \
	"$({ ct -L expect -f ipv4; ct -L expect -f ipv6; } | grep -c helper=sip)" 8

# Zones: a master in zone 5 (the CT target sets it for both directions).
zone_ok=true
for ipt in iptables ip6tables; do
	in_ns "$ns" "$ipt" -t raw -I OUTPUT -p udp --dport 69 --sport 41000 \
		-j CT --zone 5 --helper tftp || zone_ok=false
	in_ns "$ns" "$ipt" -t raw -I OUTPUT -p udp --sport 69 --dport 41000 \
		-j CT --zone 5 || zone_ok=false
done
if $zone_ok && exp_tftp "$ns" ipv4 41000; then
	c expect delete proto udp src 127.0.0.1 dst 127.0.0.1 dport 41000 \
		>"$out/o" 2>&1
	check_eq "zone 5: delete in zone 0 finds nothing (exit 1)" "$?" 1
	c expect delete proto udp src 127.0.0.1 dst 127.0.0.1 dport 41000 \
		zone 5
	check_eq "zone 5: delete zone 5: exit 0" "$?" 0
	check_eq "zone 5: conntrack(8) no longer lists it" \
		"$(ct -L expect -f ipv4 | grep -c 'dport=41000 ')" 0
else
	skip "zones: cannot make a master in zone 5 here"
fi

# ---- flush ----
# One family: deleted one by one; one in zone 5 cannot be found so.
if $zone_ok && exp_tftp "$ns" ipv6 41000; then
	c expect flush family ipv6 >"$out/o" 2>&1
	check_eq "flush family ipv6 with one in zone 5: exit 1" "$?" 1
	check_eq "flush family ipv6 with one in zone 5: says so" \
		"$(cat "$out/o")" \
		"ctalg: expect flush: 1 left, not in zone 0 (the kernel does not report zones)"
	check_eq "flush family ipv6: only the one in zone 5 is left" \
		"$(ct -L expect -f ipv6 | grep -c 'dport=41000 ') $(ct -L expect -f ipv6 | wc -l)" \
		"1 1"
	c expect delete proto udp src ::1 dst ::1 dport 41000 zone 5
fi
c expect flush family ipv6
check_eq "flush family ipv6: exit 0" "$?" 0
check_eq "flush family ipv6: conntrack(8) lists no IPv6 one" \
	"$(ct -L expect -f ipv6 | wc -l)" 0
check_eq "flush family ipv6: the IPv4 ones stay" \
	"$(ct -L expect -f ipv4 | wc -l)" 5
c expect flush
check_eq "flush: exit 0" "$?" 0
check_eq "flush: conntrack(8) lists none" \
	"$({ ct -L expect -f ipv4; ct -L expect -f ipv6; } | wc -l)" 0

# ---- watch against conntrack -E expect ----
# The events are queued on every socket before the flush returns; wait
# until the watchers have printed as many lines as conntrack(8), and no
# more come, then stop them.
lines() {
	echo "$(wc -l <"$out/w") $(wc -l <"$out/wj") $(wc -l <"$out/ce")"
}
settled() {
	_l=$(lines)
	set -- $_l
	[ "$1" = "$3" ] && [ "$2" = "$3" ] && sleep 0.3 && [ "$(lines)" = "$_l" ]
}
wait_for 10 settled
n=$(wc -l <"$out/ce")
kill -INT "$w_pid" "$wj_pid" "$wf_pid"
kill -TERM "$ce_pid"
wait "$w_pid"
check_eq "watch: exit 0 after SIGINT" "$?" 0
wait "$wj_pid" "$wf_pid" "$ce_pid"
check_eq "watch: nothing on stderr" "$(cat "$out/w.err")" ""
if [ "$(grep -c '^    \[NEW\]' "$out/ce")" -ge 10 ] &&
	[ "$(grep -c '^\[DESTROY\]' "$out/ce")" -ge 10 ] &&
	cmp -s "$out/w" "$out/ce"; then
	ok "watch is conntrack -E expect, line for line ($n events)"
else
	not_ok "watch is conntrack -E expect, line for line" \
		"$(diff "$out/ce" "$out/w")"
fi
grep '^\[DESTROY\] .* src=::1 ' "$out/ce" >"$out/cf"
if [ -s "$out/cf" ] && cmp -s "$out/wf" "$out/cf"; then
	ok "watch event destroy family ipv6: conntrack's IPv6 DESTROY lines"
else
	not_ok "watch event destroy family ipv6" "$(diff "$out/cf" "$out/wf")"
fi
json_vs_conntrack "watch -o json: every event, every field as conntrack -E" \
	"cat '$out/wj'" "cat '$out/ce'"

tap_done
