#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ctalg expect: every bad argument gets a message naming it and exit
# status 2; every kernel refusal the kernel's own message and exit status
# 1 (these need root and a network namespace, and are skipped without).
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
CTALG=${CTALG:-build/cli/ctalg}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RUN= # a prefix: "ip netns exec NS" for the kernel refusals

# fails STATUS MESSAGE ARGS...: ctalg ARGS prints exactly MESSAGE on
# stderr, nothing on stdout, and exits with STATUS.
fails() {
	_want_rc=$1 _want=$2
	shift 2
	$RUN "$CTALG" "$@" >"$tmp/out" 2>"$tmp/err"
	_rc=$?
	_err=$(cat "$tmp/err")
	_out=$(cat "$tmp/out")
	if [ "$_rc" = "$_want_rc" ] && [ "$_err" = "$_want" ] &&
		[ -z "$_out" ]; then
		ok "$* -> $_want_rc: $_want"
	else
		not_ok "$* -> $_want_rc: $_want" "exit status $_rc" \
			"stderr: $_err" "stdout: $_out"
	fi
}

bad() {
	fails 2 "$@"
}

A4="proto tcp master-src 192.0.2.1 master-dst 192.0.2.2 master-sport 40000
	master-dport 21 src 192.0.2.2 dst 192.0.2.1 dport 50000"

# ---- help ----
"$CTALG" expect --help >/dev/null 2>&1
check_eq "expect --help: exit 0" "$?" 0
"$CTALG" expect --help | grep -q '^Usage: ctalg expect list'
check_eq "expect --help: the usage on stdout" "$?" 0
"$CTALG" expect >/dev/null 2>&1
check_eq "expect without a verb: exit 2" "$?" 2
"$CTALG" --help | grep -q '^  expect '
check_eq "ctalg --help lists the expect object" "$?" 0

# ---- verbs and keywords ----
bad 'ctalg: expect: unknown verb "lst" (list, watch, get, add, delete, flush)' \
	expect lst
bad 'ctalg: expect: unknown verb "List" (list, watch, get, add, delete, flush)' \
	expect List
bad 'ctalg: expect list: unknown argument "frob" (see ctalg expect --help)' \
	expect list frob
bad 'ctalg: expect list: unknown argument "Family" (see ctalg expect --help)' \
	expect list Family ipv4
bad 'ctalg: expect list: unknown argument "fam" (see ctalg expect --help)' \
	expect list fam ipv4
bad 'ctalg: expect list: unknown argument "src" (see ctalg expect --help)' \
	expect list src 192.0.2.1
bad 'ctalg: expect watch: unknown argument "dport" (see ctalg expect --help)' \
	expect watch dport 21
bad 'ctalg: expect flush: unknown argument "helper" (see ctalg expect --help)' \
	expect flush helper ftp
bad 'ctalg: expect add: unknown argument "event" (see ctalg expect --help)' \
	expect add event new
bad 'ctalg: expect get: unknown argument "timestamp" (see ctalg expect --help)' \
	expect get timestamp
bad 'ctalg: family: missing value' expect list family
bad 'ctalg: family: given twice' expect list family ipv4 family ipv6
bad 'ctalg: -o: missing value' expect list -o
bad 'ctalg: -o: "yaml" is not an output format (text, json)' \
	expect list -o yaml

# ---- values ----
bad 'ctalg: family: "ipv5" is not a family (inet, inet6, ipv4, ipv6)' \
	expect list family ipv5
bad 'ctalg: family: "IPv4" is not a family (inet, inet6, ipv4, ipv6)' \
	expect flush family IPv4
bad 'ctalg: proto: "tcpx" is not a protocol name or number 0-255' \
	expect list proto tcpx
bad 'ctalg: proto: 256 is out of range (0-255)' expect list proto 256
bad 'ctalg: proto: "6x" is not a number' expect watch proto 6x
bad 'ctalg: helper: "0123456789abcdef" must be 1 to 15 characters' \
	expect list helper 0123456789abcdef
bad 'ctalg: helper: "" must be 1 to 15 characters' expect watch helper ''
bad 'ctalg: event: "bogus" is not an event (new, update, destroy)' \
	expect watch event new,bogus
bad 'ctalg: event: "" is not an event (new, update, destroy)' \
	expect watch event new,
bad 'ctalg: event: "NEW" is not an event (new, update, destroy)' \
	expect watch event NEW

# ---- add ----
bad 'ctalg: expect add: proto is required' expect add
bad 'ctalg: expect add: master-src is required' expect add proto tcp
bad 'ctalg: expect add: master-dst is required' \
	expect add proto tcp master-src 192.0.2.1
bad 'ctalg: expect add: src is required' \
	expect add proto tcp master-src 192.0.2.1 master-dst 192.0.2.2
bad 'ctalg: expect add: master-sport is required' \
	expect add proto tcp master-src 192.0.2.1 master-dst 192.0.2.2 \
	src 192.0.2.2 dst 192.0.2.1
bad 'ctalg: expect add: dport is required' \
	expect add proto tcp master-src 192.0.2.1 master-dst 192.0.2.2 \
	master-sport 1 master-dport 21 src 192.0.2.2 dst 192.0.2.1
bad 'ctalg: master-dst: "::1" is not an IPv4 address' \
	expect add proto tcp master-src 192.0.2.1 master-dst ::1
bad 'ctalg: dst: "192.0.2.1" is not an IPv6 address' \
	expect add proto tcp master-src ::1 master-dst ::2 src ::2 \
	dst 192.0.2.1
bad 'ctalg: src: "999.1.1.1" is not an IP address' \
	expect add proto tcp master-src 192.0.2.1 master-dst 192.0.2.2 \
	src 999.1.1.1
bad 'ctalg: master-src: "192.0.2.1 " is not an IP address' \
	expect add proto tcp master-src '192.0.2.1 '
bad 'ctalg: master-sport: 70000 is out of range (0-65535)' \
	expect add proto tcp master-src 192.0.2.1 master-dst 192.0.2.2 \
	master-sport 70000 master-dport 21 src 192.0.2.2 dst 192.0.2.1
bad 'ctalg: master-sport: given twice' expect add $A4 master-sport 1
bad 'ctalg: dport: "-1" is not a number' \
	expect add proto udp master-src 192.0.2.1 master-dst 192.0.2.2 \
	master-sport 1 master-dport 69 src 192.0.2.2 dst 192.0.2.1 dport -1
bad 'ctalg: sport: "0x10" is not a number' expect add $A4 sport 0x10
bad 'ctalg: mask-sport: "" is not a number' expect add $A4 mask-sport ''
bad 'ctalg: master-sport: protocol 99 has no ports' \
	expect add proto 99 master-src 192.0.2.1 master-dst 192.0.2.2 \
	master-sport 1 src 192.0.2.2 dst 192.0.2.1
bad 'ctalg: dport: protocol icmp has no ports' \
	expect add proto tcp master-src 192.0.2.1 master-dst 192.0.2.2 \
	master-sport 1 master-dport 21 src 192.0.2.2 dst 192.0.2.1 \
	expect-proto icmp dport 1
bad 'ctalg: expect-proto: "ipx" is not a protocol name or number 0-255' \
	expect add $A4 expect-proto ipx
bad 'ctalg: mask-src: "::" is not an IPv4 address' \
	expect add $A4 mask-src ::
bad 'ctalg: class: 4 is out of range (0-3)' expect add $A4 class 4
bad 'ctalg: flags: "bogus" is not a flag (permanent, inactive)' \
	expect add $A4 flags permanent,bogus
bad 'ctalg: flags: "userspace" is not a flag (permanent, inactive)' \
	expect add $A4 flags userspace
bad 'ctalg: flags: "" is not a flag (permanent, inactive)' \
	expect add $A4 flags permanent,,inactive
bad 'ctalg: zone: 65536 is out of range (0-65535)' expect add $A4 zone 65536
bad 'ctalg: timeout: 0 is out of range (1-2147483)' expect add $A4 timeout 0
bad 'ctalg: timeout: "4294967296" is not a number' \
	expect add $A4 timeout 4294967296
bad 'ctalg: helper: "abcdefghijklmnopq" must be 1 to 15 characters' \
	expect add $A4 helper abcdefghijklmnopq
bad 'ctalg: fn: "" must be 1 to 31 characters' expect add $A4 fn ''
bad 'ctalg: expect add: nat-dir is required' \
	expect add $A4 nat-src 192.0.2.9
bad 'ctalg: nat-dir: "sideways" is not a direction (orig, reply)' \
	expect add $A4 nat-dir sideways nat-src 192.0.2.9
bad 'ctalg: expect add: nat-src is required' expect add $A4 nat-dir orig
bad 'ctalg: nat-src: "::9" is not an IPv4 address' \
	expect add $A4 nat-dir reply nat-src ::9
bad 'ctalg: nat-sport: 65536 is out of range (0-65535)' \
	expect add $A4 nat-dir reply nat-src 192.0.2.9 nat-sport 65536

# ---- get, delete, flush ----
bad 'ctalg: expect get: proto is required' expect get
bad 'ctalg: expect delete: proto is required' expect delete
bad 'ctalg: expect delete: src is required' expect delete proto udp
bad 'ctalg: expect delete: dport is required' \
	expect delete proto udp src 192.0.2.1 dst 192.0.2.2
bad 'ctalg: sport: protocol 99 has no ports' \
	expect delete proto 99 src 192.0.2.1 dst 192.0.2.2 sport 1
bad 'ctalg: id: "4294967296" is not a number' \
	expect delete proto udp src 192.0.2.1 dst 192.0.2.2 dport 1 \
	id 4294967296
bad 'ctalg: zone: "z" is not a number' \
	expect get proto udp src ::1 dst ::1 dport 1 zone z
bad 'ctalg: proto: not allowed with helper (delete by helper or by tuple)' \
	expect delete helper ftp proto tcp
bad 'ctalg: helper: "" must be 1 to 15 characters' expect delete helper ''
bad 'ctalg: family: "all" is not a family (inet, inet6, ipv4, ipv6)' \
	expect flush family all

# ---- kernel refusals ----
if [ "$(id -u)" -ne 0 ] || ! command -v socat >/dev/null 2>&1 ||
	! command -v conntrack >/dev/null 2>&1 ||
	! ip netns add "ctalg-$$-probe" 2>/dev/null; then
	skip "kernel refusals: need root, socat, conntrack and namespaces"
	tap_done
	exit
fi
ip netns del "ctalg-$$-probe"
. tests/lib/netns.sh
. tests/lib/exp.sh
ns=$(netns_new cli)
if ! exp_ns_setup "$ns" || ! exp_sip_master "$ns" ipv4 30004 ||
	! exp_sip_master "$ns" ipv4 30005 ||
	! exp_ftp_active "$ns" ipv4 30001; then
	skip "kernel refusals: cannot make masters with helpers here"
	tap_done
	exit
fi
trap 'netns_cleanup; rm -rf "$tmp" "$EXP_DIR"' EXIT
# A master without a helper: nothing attaches one to port 9999.
printf x | in_ns "$ns" socat -u - UDP4:127.0.0.1:9999,sourceport=9998

refused() {
	_msg=$1
	shift
	fails 1 "$_msg" "$@"
}

RUN="ip netns exec $ns"
SIP="proto udp master-src 127.0.0.1 master-dst 127.0.0.1 master-dport 5060
	dst 127.0.0.1"
refused 'ctalg: expect add: Operation not supported' \
	expect add proto udp \
	master-src 127.0.0.1 master-dst 127.0.0.1 master-sport 9998 \
	master-dport 9999 src 127.0.0.1 dst 127.0.0.1 dport 7001
refused 'ctalg: expect add: No such file or directory' \
	expect add proto udp \
	master-src 127.0.0.1 master-dst 127.0.0.1 master-sport 9997 \
	master-dport 9999 src 127.0.0.1 dst 127.0.0.1 dport 7001
fails 0 '' expect add $SIP \
	master-sport 30004 src 127.0.0.1 dport 7001 class 1
refused 'ctalg: expect add: File exists' \
	expect add $SIP master-sport 30004 \
	src 127.0.0.1 dport 7001 class 1
refused 'ctalg: expect add: File exists' \
	expect add $SIP master-sport 30005 \
	src 127.0.0.1 dport 7001 class 1
refused 'ctalg: expect add: Device or resource busy' \
	expect add $SIP master-sport 30005 \
	src 127.0.0.2 mask-src 0.0.0.0 dport 7001 class 1
refused 'ctalg: expect add: Invalid argument' \
	expect add proto tcp \
	master-src 127.0.0.1 master-dst 127.0.0.1 master-sport 30001 \
	master-dport 21 src 127.0.0.1 dst 127.0.0.1 dport 7100 class 1
refused 'ctalg: expect add: Invalid argument' \
	expect add $SIP master-sport 30004 \
	src 127.0.0.1 dport 7002 fn nosuch
refused 'ctalg: expect add: Invalid argument' \
	expect add $SIP master-sport 30004 \
	src 127.0.0.1 expect-proto icmp
refused 'ctalg: expect get: No such file or directory' \
	expect get proto udp src 127.0.0.1 \
	dst 127.0.0.1 dport 7999
refused 'ctalg: expect delete: No such file or directory' \
	expect delete proto udp \
	src 127.0.0.1 dst 127.0.0.1 dport 7999
refused 'ctalg: expect delete: No such file or directory' \
	expect delete proto udp \
	src 127.0.0.1 dst 127.0.0.1 dport 7001 zone 1
fails 0 '' expect delete helper nosuch
if command -v setpriv >/dev/null 2>&1; then
	nobody="setpriv --reuid 65534 --regid 65534 --clear-groups"
	RUN="ip netns exec $ns $nobody"
	refused 'ctalg: expect list: Operation not permitted' expect list
	refused 'ctalg: expect watch: cannot subscribe to expectation events: Operation not permitted' \
		expect watch
	refused 'ctalg: expect flush: Operation not permitted' expect flush
else
	skip "refusals without CAP_NET_ADMIN: setpriv is not installed"
fi
# The refused ones left nothing behind; the one added is there.
check_eq "after the refusals: only the expectation added" \
	"$(in_ns "$ns" conntrack -L expect 2>/dev/null | grep -c 'helper=sip')" 1

RUN=

# The examples of ctalg(8) and the README are the same, and run: none is
# a usage error (the add and delete ones name a master that is not there).
examples() {
	# $1: the text; the lines from the first "ctalg expect" on, joined
	# where they end in a backslash, until a blank line or ".fi" or "```".
	printf '%s\n' "$1" | awk '
		/^ctalg / { on = 1 }
		on && (/^$/ || /^\.fi/ || /^```/) { exit }
		on { sub(/\\e$/, "\\"); line = line $0
			if (line ~ /\\$/) { sub(/\\$/, " ", line); next }
			gsub(/[\t ]+/, " ", line); print line; line = "" }'
}
man_ex=$(examples "$(sed -n '/^\.SS Examples/,/^\.fi/p' doc/ctalg.8)")
readme_ex=$(examples "$(sed -n '/^### Expectations/,/^## /p' README.md)")
check_eq "the examples of ctalg(8) are the README's" "$man_ex" "$readme_ex"
check_eq "five examples" "$(printf '%s\n' "$man_ex" | grep -c '^ctalg ')" 5
while read -r ex; do
	# shellcheck disable=SC2086
	set -- ${ex#ctalg }
	timeout --preserve-status -s INT 1 \
		ip netns exec "$ns" "$CTALG" "$@" >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 0 ] || [ "$rc" = 1 ]; then
		ok "example runs: $ex (exit $rc)"
	else
		not_ok "example runs: $ex" "exit status $rc"
	fi
done <<EOF
$man_ex
EOF

tap_done
