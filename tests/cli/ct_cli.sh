#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ctalg conntrack: every bad argument gets its message, naming it, and exit
# status 2, before anything is sent to the kernel; --help exits 0; a
# refusal by the kernel exits 1 with the kernel's reason.
set -u
. "$SRCDIR/tests/lib/tap.sh"

# bad 'ARGUMENTS' 'MESSAGE': ctalg conntrack ARGUMENTS prints exactly
# "ctalg: MESSAGE" on stderr, nothing on stdout, and exits 2.
bad() {
	_out=$(eval "\"$CTALG\" conntrack $1" 2>"$T/err")
	_rc=$?
	_err=$(cat "$T/err")
	if [ "$_rc" -eq 2 ] && [ "$_err" = "ctalg: $2" ] && [ -z "$_out" ]; then
		ok "conntrack $1: exit 2, \"$2\""
	else
		not_ok "conntrack $1" "exit $_rc (want 2)" "stderr: $_err" \
			"want:   ctalg: $2" "stdout: $_out"
	fi
}

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

out=$("$CTALG" conntrack --help)
check_eq "conntrack --help exits 0 with the usage" "$?:$(echo "$out" | head -1)" \
	"0:Usage: ctalg conntrack list [FILTER...] [format FORMAT[,...]]"
out=$("$CTALG" conntrack help)
check_eq "conntrack help exits 0" "$?" "0"
"$CTALG" --help | grep -q '^  conntrack  ' &&
	ok "ctalg --help lists the conntrack object" ||
	not_ok "ctalg --help lists the conntrack object"
"$CTALG" conntrack >/dev/null 2>&1
check_eq "conntrack without a verb exits 2" "$?" "2"

# Verbs and unknown arguments.
bad 'lst' 'conntrack: unknown verb "lst" (list, watch, get)'
bad 'List' 'conntrack: unknown verb "List" (list, watch, get)'
bad 'list bogus' 'conntrack list: unknown argument "bogus" (see ctalg conntrack --help)'
bad 'list event new' 'conntrack list: unknown argument "event" (see ctalg conntrack --help)'
bad 'list src 1.2.3.4' 'conntrack list: unknown argument "src" (see ctalg conntrack --help)'
bad 'watch sport 1' 'conntrack watch: unknown argument "sport" (see ctalg conntrack --help)'
bad 'get helper ftp' 'conntrack get: unknown argument "helper" (see ctalg conntrack --help)'

# family
bad 'list family' 'family: missing value'
bad 'list family inet4' 'family: "inet4" is not a family (inet, inet6, ipv4, ipv6)'
bad 'list family INET' 'family: "INET" is not a family (inet, inet6, ipv4, ipv6)'
bad 'list family ""' 'family: "" is not a family (inet, inet6, ipv4, ipv6)'
bad 'watch family inet family inet6' 'family: given twice'

# proto
bad 'list proto' 'proto: missing value'
bad 'list proto tcpp' 'proto: "tcpp" is not a protocol name or number 0-255'
bad 'list proto TCP' 'proto: "TCP" is not a protocol name or number 0-255'
bad 'list proto 256' 'proto: 256 is out of range (0-255)'
bad 'list proto 6x' 'proto: "6x" is not a number'
bad 'list proto -1' 'proto: "-1" is not a protocol name or number 0-255'
bad 'list proto 99999999999' 'proto: "99999999999" is not a number'
bad 'list proto tcp proto udp' 'proto: given twice'

# helper
bad 'list helper' 'helper: missing value'
bad 'list helper ""' 'helper: the name is empty'
bad 'list helper 0123456789abcdef' 'helper: "0123456789abcdef" is longer than 15 characters'
bad 'watch helper ftp helper sip' 'helper: given twice'

# event
bad 'watch event' 'event: missing value'
bad 'watch event bogus' 'event: "bogus" is not an event (new, update, destroy)'
bad 'watch event new,' 'event: "" is not an event (new, update, destroy)'
bad 'watch event NEW' 'event: "NEW" is not an event (new, update, destroy)'
bad 'watch event new,updates' 'event: "updates" is not an event (new, update, destroy)'
bad 'watch event new event update' 'event: given twice'

# format and output
bad 'list format' 'format: missing value'
bad 'list format xml' 'format: "xml" is not a format (extended, id, ktimestamp, labels)'
bad 'list format timestamp' 'format: "timestamp" is not a format (extended, id, ktimestamp, labels)'
bad 'list format extended,,id' 'format: "" is not a format (extended, id, ktimestamp, labels)'
bad 'watch format extended,xyz' 'format: "xyz" is not a format (extended, id, ktimestamp, labels, timestamp)'
bad 'list format id format id' 'format: given twice'
bad 'list -o yaml' '-o: "yaml" is not an output format (text, json)'
bad 'list -o' '-o: missing value'
bad 'list --output JSON' '--output: "JSON" is not an output format (text, json)'

# get: what the tuple needs, of one family
bad 'get' 'conntrack get: proto is required'
bad 'get proto tcp' 'conntrack get: src is required'
bad 'get proto tcp src 127.0.0.1' 'conntrack get: dst is required'
bad 'get proto tcp src 127.0.0.1 dst 127.0.0.1' 'conntrack get: sport is required'
bad 'get proto tcp src 127.0.0.1 dst 127.0.0.1 sport 1' 'conntrack get: dport is required'
bad 'get proto tcp src 999.0.0.1 dst 127.0.0.1 sport 1 dport 2' 'src: "999.0.0.1" is not an IP address'
bad 'get proto tcp src 127.0.0.1 dst ::1 sport 1 dport 2' 'dst: "::1" is not an IPv4 address'
bad 'get proto tcp src ::1 dst 127.0.0.1 sport 1 dport 2' 'dst: "127.0.0.1" is not an IPv6 address'
bad 'get family inet6 proto tcp src 127.0.0.1 dst ::1 sport 1 dport 2' 'src: "127.0.0.1" is not an IPv6 address'
bad 'get family inet proto udp src ::1 dst ::1 sport 1 dport 2' 'src: "::1" is not an IPv4 address'
bad 'get proto tcp src 127.0.0.1 dst 127.0.0.1 sport 65536 dport 2' 'sport: 65536 is out of range (0-65535)'
bad 'get proto tcp src 127.0.0.1 dst 127.0.0.1 sport 1 dport x' 'dport: "x" is not a number'
bad 'get proto tcp src 127.0.0.1 dst 127.0.0.1 sport 1 dport 2 type 8' 'type: not a field of protocol 6'
bad 'get proto icmp src 127.0.0.1 dst 127.0.0.1 sport 1' 'sport: not a field of protocol 1'
bad 'get proto icmp src 127.0.0.1 dst 127.0.0.1 type 8 code 0' 'conntrack get: id is required'
bad 'get proto icmp src 127.0.0.1 dst 127.0.0.1 type 256 code 0 id 1' 'type: 256 is out of range (0-255)'
bad 'get proto icmp src 127.0.0.1 dst 127.0.0.1 type 8 code 0 id 65536' 'id: 65536 is out of range (0-65535)'
bad 'get proto icmp src ::1 dst ::1 type 128 code 0 id 1' 'proto: icmp with IPv6 addresses (use icmpv6)'
bad 'get proto icmpv6 src 127.0.0.1 dst 127.0.0.1 type 8 code 0 id 1' 'proto: icmpv6 with IPv4 addresses (use icmp)'
bad 'get proto tcp src 127.0.0.1 src 127.0.0.2' 'src: given twice'
bad 'get proto udp src ::1 dst ::1 sport 1 dport 2 zone 65536' 'zone: 65536 is out of range (0-65535)'
bad 'get proto udp src ::1 dst ::1 sport 1 dport 2 zone -1' 'zone: "-1" is not a number'

# A refusal by the kernel: without CAP_NET_ADMIN ctnetlink says EPERM.
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		drop="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
	else
		drop=
	fi
else
	drop=" "
fi
if [ -n "$drop" ]; then
	$drop "$CTALG" conntrack list >"$T/out" 2>"$T/err"
	rc=$?
	check_eq "list without CAP_NET_ADMIN: exit 1, the kernel's reason" \
		"$rc:$(cat "$T/err")" \
		"1:ctalg: listing conntrack entries: Operation not permitted"
else
	skip "setpriv is not installed to drop CAP_NET_ADMIN"
fi

tap_done
