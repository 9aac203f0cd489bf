# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd's discovery helpers, mdns, slp, dhcpv6 and ssdp, where a user
# needs them: on a host firewall (input policy drop) for the host's own
# multicast queries. A query to a group does not cross a router, and its
# answers come back by unicast from addresses the firewall has never
# seen: only the helper's expectation lets them in. The querying host is
# the namespace `router` of the usual topology (forward policy drop
# too), with the rules of the helpers' pages in raw OUTPUT / an output
# chain, iptables and nft; the responders are on its link to `server`
# (r1 - s0):
#
# - mdns: a one-shot query (a plain resolver's, from port 40053) to
#   224.0.0.251 and ff02::fb port 5353; avahi-daemon answers by unicast
#   from its port 5353;
# - slp: a SrvRqst to 239.255.255.253 and ff02::116 port 427 (from port
#   40427), a SrvRply from port 427 (Debian 12 has no SLP agent: both
#   sides are vm-udp, tests/vm/tools);
# - dhcpv6: dhclient asks dnsmasq for an address: Solicit and Request
#   from the host's link-local address, port 546, to ff02::1:2 port 547,
#   Advertise and Reply from dnsmasq's link-local address;
# - ssdp: upnpc, a control point, searches (239.255.255.250:1900) and
#   finds miniupnpd, an Internet gateway device, whose answer names its
#   LOCATION; upnpc reads the description and calls the device over the
#   connections that answer's expectation admits; curl SUBSCRIBEs to the
#   device's events over one more, with a CALLBACK to the host's port
#   45000, and miniupnpd's first event NOTIFY comes in there, admitted by
#   the SUBSCRIBE's expectation, to a vm-udp listener that accepts it
#   (which renews the expectation). An IPv6 search of ff02::c from the
#   host's link-local address is answered by miniupnpd's link-local
#   address with a routable LOCATION, which ctalgd's policy refuses, as
#   the helper's page says.
#
# dig cannot be the querier: it drops an answer from another address than
# it asked, which every one-shot multicast answer is; the mdns querier is
# vm-udp. Each expectation is checked field by field and the answers
# must arrive; a query from a privileged port (mdns) and a LOCATION
# naming a third host (ssdp, a crafted second device) are refused and
# counted; without the helpers nothing comes in (the same queries, by
# vm-udp, so that each fails in 2 s). Then conntrackd's plugins on the
# same traffic in the same boot, their expectations compared with
# ctalgd's field by field, the known differences named.
# vm-packages: conntrackd avahi-daemon miniupnpd-nftables miniupnpc curl
# vm-packages: dnsmasq-base isc-dhcp-client
# vm-programs: conntrackd avahi-daemon miniupnpd upnpc curl dnsmasq
# vm-programs: dhclient
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_mdns.so
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_slp.so
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_dhcpv6.so
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_ssdp.so
# vm-modules: xt_addrtype nft_fib_inet

net_setup || return 1

HOST4=$ROUTER4_S
DEV4=$SERVER4
host_ll() {
	in_ns router ip -6 addr show dev r1 scope link |
		sed -n 's/.*inet6 \(fe80::[0-9a-f:]*\)\/64.*/\1/p'
}
# Link-local addresses are usable once their duplicate detection ends.
ll_ready() {
	[ -n "$(host_ll)" ] &&
		! in_ns router ip -6 addr show dev r1 tentative | grep -q inet6 &&
		! in_ns server ip -6 addr show dev s0 tentative | grep -q inet6
}
check "link-local addresses ready on r1 and s0" wait_for 10 ll_ready
HOSTLL=$(host_ll)

# The messages (tools/vm-udp: hex or @file).
# One-shot queries for server.local: A (IPv4), AAAA (IPv6: avahi does not
# publish A records on IPv6).
MDNS_Q=hex:12340000000100000000000006736572766572056c6f63616c0000010001
MDNS_Q6=hex:12340000000100000000000006736572766572056c6f63616c00001c0001
# SrvRqst, REQUEST MCAST, "service:printer" in scope "DEFAULT"; SrvRply.
SLP_Q=hex:0201000030200000000012340002656e0000000f736572766963653a7072696e746572000744454641554c5400000000
SLP_A=hex:0202000014000000000012340002656e00000000
# Solicit (client id, elapsed time, IA_NA), for the negative controls.
DHCP6_Q=hex:01aabbcc0001000a000300010200000000010008000200000003000c000000010000000000000000
M=/tmp/vm/msg
mkdir -p $M
# An M-SEARCH for the root device (one answer), and a device's answer
# whose LOCATION names a third host (the client).
printf 'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n' >$M/msearch
printf 'HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://%s:5000/rootDesc.xml\r\nSERVER: Linux/6 UPnP/1.1 vm/1\r\nST: upnp:rootdevice\r\nUSN: uuid:vm-device::upnp:rootdevice\r\n\r\n' "$CLIENT4" >$M/answer-foreign
# The control point's acceptance of an event.
printf 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' >$M/ok

# The responders, for the whole boot.
responders() {
	# avahi-daemon wants its user even when it keeps root.
	echo 'avahi:x:105:106::/run/avahi-daemon:/usr/sbin/nologin' >>/etc/passwd
	echo 'avahi:x:106:' >>/etc/group
	mkdir -p /run/avahi-daemon /etc/avahi/services
	printf '%s\n' '[server]' host-name=server domain-name=local \
		use-ipv4=yes use-ipv6=yes allow-interfaces=s0 enable-dbus=no \
		'[publish]' publish-addresses=yes publish-workstation=no \
		publish-hinfo=no >/tmp/vm/avahi.conf
	spawn avahi server avahi-daemon -f /tmp/vm/avahi.conf --no-drop-root \
		--no-chroot --no-rlimits --no-proc-title
	spawn r-slp4 server vm-udp answer -g 239.255.255.253 -i s0 -n 1000 -t 600 427 $SLP_A
	spawn r-slp6 server vm-udp answer -g ff02::116 -i s0 -n 1000 -t 600 427 $SLP_A
	# A DHCPv6 server (no DNS), answering from its link-local address.
	spawn dnsmasq server dnsmasq -d -q --conf-file=/dev/null --port=0 \
		-u root --interface=s0 --dhcp-range=fd00:2::100,fd00:2::1ff,64 \
		--dhcp-leasefile=/tmp/vm/dnsmasq.leases \
		--pid-file=/tmp/vm/dnsmasq.pid
	# An Internet gateway device, its description and eventing on
	# port 5000 (its external interface is s0 as well: it maps no port).
	printf '%s\n' ext_ifname=s0 listening_ip=s0 http_port=5000 \
		enable_natpmp=no enable_upnp=yes secure_mode=no \
		uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b \
		'allow 1024-65535 0.0.0.0/0 1024-65535' >/tmp/vm/miniupnpd.conf
	spawn miniupnpd server miniupnpd -f /tmp/vm/miniupnpd.conf -d
}
responders
bound() {
	for p in 5353 427 547 1900; do
		_vm_listening server udp $p || return 1
	done
	_vm_listening server tcp 5000
}
check "the responders listen" wait_for 10 bound
avahi_up() {
	grep -q "Server startup complete" "$VM_LOG/avahi.log"
}
check "avahi-daemon has published server.local" wait_for 15 avahi_up

# host_rules iptables|nft [helpers]: the host's firewall. Input policy
# drop (established and related accepted, loopback and ICMPv6 too),
# forward policy drop; with "helpers", the rules of the helpers' pages
# attach them to the host's own queries in raw OUTPUT / an output chain.
host_rules() {
	echo "$1" >/tmp/vm/host.variant
	[ "${CTALG_VM_NOHELPER:-0}" = 1 ] && set -- "$1"
	# One restore per family (each command costs a lot in the guest):
	# both tables replaced, policies reset.
	host_iptables4 "$1" "$2" | in_ns router iptables-restore &&
		host_iptables6 "$1" "$2" | in_ns router ip6tables-restore &&
		in_ns router nft flush ruleset || return 1
	if [ "$1" = nft ]; then
		host_nft "$2" || return 1
	fi
}

# host_iptables4|6 VARIANT [helpers]: the ruleset for iptables-restore;
# open (and empty) for the nft variant.
host_iptables4() {
	echo "*raw"
	if [ "$1" = iptables ] && [ "$2" = helpers ]; then
		cat <<EOF
-A OUTPUT -p udp -d 224.0.0.251 ! --sport 5353 --dport 5353 -j CT --helper mdns
-A OUTPUT -m addrtype --dst-type MULTICAST,BROADCAST -p udp --dport 427 -j CT --helper slp
-A OUTPUT -p udp --dport 1900 -j CT --helper ssdp
EOF
	fi
	printf 'COMMIT\n*filter\n'
	if [ "$1" = iptables ]; then
		printf '%s\n' ":INPUT DROP" ":FORWARD DROP" "-A INPUT -i lo -j ACCEPT" \
			"-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"
	else
		printf '%s\n' ":INPUT ACCEPT" ":FORWARD ACCEPT"
	fi
	echo COMMIT
}

host_iptables6() {
	echo "*raw"
	if [ "$1" = iptables ] && [ "$2" = helpers ]; then
		cat <<EOF
-A OUTPUT -p udp -d ff02::fb ! --sport 5353 --dport 5353 -j CT --helper mdns
-A OUTPUT -d ff00::/8 -p udp --dport 427 -j CT --helper slp
-A OUTPUT -d ff02::1:2 -p udp --sport 546 --dport 547 -j CT --helper dhcpv6
-A OUTPUT -p udp --dport 1900 -j CT --helper ssdp
EOF
	fi
	printf 'COMMIT\n*filter\n'
	if [ "$1" = iptables ]; then
		printf '%s\n' ":INPUT DROP" ":FORWARD DROP" "-A INPUT -i lo -j ACCEPT" \
			"-A INPUT -p ipv6-icmp -j ACCEPT" \
			"-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"
	else
		printf '%s\n' ":INPUT ACCEPT" ":FORWARD ACCEPT"
	fi
	echo COMMIT
}

host_nft() {
	objs="" sets=""
	if [ "$1" = helpers ]; then
		objs='
	ct helper mdns { type "mdns" protocol udp; l3proto inet; }
	ct helper slp { type "slp" protocol udp; l3proto inet; }
	ct helper dhcpv6 { type "dhcpv6" protocol udp; l3proto ip6; }
	ct helper ssdp-udp { type "ssdp" protocol udp; l3proto inet; }'
		sets='
		ip daddr 224.0.0.251 udp sport != 5353 udp dport 5353 ct helper set "mdns"
		ip6 daddr ff02::fb udp sport != 5353 udp dport 5353 ct helper set "mdns"
		fib daddr type { multicast, broadcast } udp dport 427 ct helper set "slp"
		ip6 daddr ff00::/8 udp dport 427 ct helper set "slp"
		ip6 daddr ff02::1:2 udp sport 546 udp dport 547 ct helper set "dhcpv6"
		udp dport 1900 ct helper set "ssdp-udp"'
	fi
	in_ns router nft -f - <<EOF
table inet vm_host {$objs
	chain vm_out {
		type filter hook output priority filter; policy accept;$sets
	}
	chain vm_in {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif lo accept
		meta l4proto ipv6-icmp accept
		counter drop
	}
	chain vm_fwd {
		type filter hook forward priority filter; policy drop;
	}
}
EOF
}

# host_dropped: packets the host's input policy dropped.
host_dropped() {
	policy_dropped "$(cat /tmp/vm/host.variant)" INPUT vm_host vm_in
}

# ask NAME SPORT GROUP PORT MESSAGE [SECONDS]: a query from the host out
# of r1; its answers' senders in $VM_LOG/NAME.log.
ask() {
	in_ns router vm-udp ask -p "$2" -i r1 -t "${6:-3}" "$3" "$4" "$5" \
		>"$VM_LOG/$1.log" 2>&1
}

# answered DESC NAME FROM PORT: the answer to query NAME came from FROM:PORT.
answered() {
	check "$1" grep -q "^$3 $4 " "$VM_LOG/$2.log"
}

# upnp TAG: the control point (upnpc) searches, reads the device's
# description and asks it for its status over the connections the
# LOCATION expectation admits; sets upnp_ok to 0 when it did.
upnp() {
	in_ns router timeout -s KILL 20 upnpc -m r1 -s >"$VM_LOG/$1-upnpc.log" 2>&1
	grep -q "IGD.*: http://$DEV4:5000/ctl/IPConn" "$VM_LOG/$1-upnpc.log"
	upnp_ok=$?
}

# subscribe_and_event TAG [SECONDS]: the control point (curl) subscribes
# to the device's events, over the LOCATION's connection again, with a
# CALLBACK to its port 45000; the device sends its first event there
# at once (inbound). Sets sub_ok and event_ok to 0 on success.
subscribe_and_event() {
	spawn cp-callback router vm-udp tcp-serve -t "${2:-10}" 45000 @$M/ok
	wait_port router tcp 45000
	in_ns router curl -sS -i --max-time 5 -X SUBSCRIBE \
		-H "CALLBACK: <http://$HOST4:45000/cb>" -H "NT: upnp:event" \
		-H "TIMEOUT: Second-300" "http://$DEV4:5000/evt/IPConn" \
		>"$VM_LOG/$1-sub.out" 2>&1
	grep -q '^HTTP/1.1 200' "$VM_LOG/$1-sub.out"
	sub_ok=$?
	finish cp-callback "${2:-10}"
	grep -q '^NOTIFY /cb HTTP/1.1' "$VM_LOG/cp-callback.log"
	event_ok=$?
	cp "$VM_LOG/cp-callback.log" "$VM_LOG/$1-event.out"
}

# dhcp6 TAG: dhclient asks dnsmasq for an address (Solicit, Advertise,
# Request, Reply), from and to the host's link-local address.
: >$M/dhclient.conf
dhcp6() {
	spawn "dhc-$1" router dhclient -6 -1 -d -v -cf $M/dhclient.conf \
		-sf /bin/true -lf "/tmp/vm/dhc-$1.lease" -pf /tmp/vm/dhc.pid r1
	check "$1, dhcpv6: dhclient gets an address from dnsmasq" wait_for 15 \
		grep -q "Bound to lease" "$VM_LOG/dhc-$1.log"
	stop "dhc-$1"
}

# discover TAG: every query, answers checked. The shortest-lived
# expectations last (slp's class lives 16 s, mdns's and ssdp's search's
# 30 s), so that all are there when they are listed.
discover() {
	dhcp6 "$1"
	upnp "$1"
	check_eq "$1, ssdp: upnpc finds miniupnpd and reads its description" "$upnp_ok" 0
	subscribe_and_event "$1"
	check_eq "$1, ssdp: miniupnpd accepts the SUBSCRIBE" "$sub_ok" 0
	check_eq "$1, ssdp: the device's event NOTIFY to the callback comes in" "$event_ok" 0
	ask "$1-mdns4" 40053 224.0.0.251 5353 $MDNS_Q
	answered "$1, mdns IPv4: the answer comes in" "$1-mdns4" "$DEV4" 5353
	ask "$1-mdns6" 40053 ff02::fb 5353 $MDNS_Q6
	answered "$1, mdns IPv6: the answer comes in" "$1-mdns6" "f[de][0-9a-f:]*" 5353
	ask "$1-slp4" 40427 239.255.255.253 427 $SLP_Q
	answered "$1, slp IPv4: the SrvRply comes in" "$1-slp4" "$DEV4" 427
	ask "$1-slp6" 40427 ff02::116 427 $SLP_Q
	answered "$1, slp IPv6: the SrvRply comes in" "$1-slp6" "fe80::[0-9a-f:]*" 427
}

# The expectations every discover makes, as expect_list names the fields.
exp_mdns4="proto=17 src=0.0.0.0 dst=$HOST4 sport=5353 dport=40053 mask-src=0.0.0.0 mask-sport=65535 mask-dport=65535 master-src=$HOST4 master-dst=224.0.0.251 master-sport=40053 master-dport=5353 class=0 helper=mdns flags=PERMANENT"
exp_mdns6="proto=17 src=:: dst=$HOSTLL sport=5353 dport=40053 mask-src=:: mask-sport=65535 mask-dport=65535 master-src=$HOSTLL master-dst=ff02::fb master-sport=40053 master-dport=5353 class=0 helper=mdns flags=PERMANENT"
exp_slp4="proto=17 src=0.0.0.0 dst=$HOST4 sport=427 dport=40427 mask-src=0.0.0.0 mask-sport=65535 mask-dport=65535 master-src=$HOST4 master-dst=239.255.255.253 master-sport=40427 master-dport=427 class=0 helper=slp flags=PERMANENT"
exp_slp6="proto=17 src=:: dst=$HOSTLL sport=427 dport=40427 mask-src=:: mask-sport=65535 mask-dport=65535 master-src=$HOSTLL master-dst=ff02::116 master-sport=40427 master-dport=427 class=0 helper=slp flags=PERMANENT"
exp_dhcp6="proto=17 src=:: dst=$HOSTLL sport=547 dport=546 mask-src=:: mask-sport=65535 mask-dport=65535 master-src=$HOSTLL master-dst=ff02::1:2 master-sport=546 master-dport=547 class=0 helper=dhcpv6 flags=PERMANENT"
# upnpc searches from a port of its own: the search and LOCATION
# expectations are checked for it below.
exp_search="proto=17 src=0.0.0.0 dst=$HOST4 sport=0 mask-src=0.0.0.0 mask-sport=0 mask-dport=65535 master-src=$HOST4 master-dst=239.255.255.250 master-dport=1900 class=1 helper=ssdp flags=PERMANENT"
exp_location="proto=6 src=$HOST4 dst=$DEV4 sport=0 dport=5000 mask-src=255.255.255.255 mask-sport=0 mask-dport=65535 master-src=$DEV4 master-dst=$HOST4 master-sport=1900 class=0 helper=ssdp flags=PERMANENT"
exp_callback="proto=6 src=$DEV4 dst=$HOST4 sport=0 dport=45000 mask-src=255.255.255.255 mask-sport=0 mask-dport=65535 master-src=$DEV4 master-dst=$HOST4 master-dport=45000 class=0 helper=ssdp"
EXPS="mdns4 mdns6 slp4 slp6 dhcp6 search location callback"

# expectations TAG: one listing, each expectation of discover checked in it
# (kept as SEEN_TAG_NAME for the comparison with the reference).
expectations() {
	if ! expect_snapshot router 8; then
		not_ok "$1: eight expectations" "$EXPECT_SNAP"
		return 1
	fi
	for e in $EXPS; do
		eval "want=\$exp_$e"
		# shellcheck disable=SC2086
		if expect_check_in "$1: expectation $e" $want; then
			eval "SEEN_$1_$e=\$EXPECT_FOUND"
		fi
	done
	eval "_s=\$SEEN_$1_search _l=\$SEEN_$1_location"
	check_eq "$1: the search expectation goes to upnpc's port" \
		"$(field "$_s" dport)" "$(field "$_s" master-sport)"
	check_eq "$1: the LOCATION expectation's master is the answer to that search" \
		"$(field "$_l" master-dport)" "$(field "$_s" dport)"
}

TYPES="mdns inet udp|mdns inet6 udp|slp inet udp|slp inet6 udp|dhcpv6 inet6 udp|ssdp inet udp|ssdp inet6 udp|ssdp inet tcp|ssdp inet6 tcp"
IFS='|'
# shellcheck disable=SC2086
set -- $TYPES
unset IFS
ctalgd_start "$@" || return 1

for variant in iptables nft; do
	router_flush
	check "$variant: host rules attaching mdns, slp, dhcpv6, ssdp to the host's queries" \
		host_rules "$variant" helpers
	seq0=$(queue_stat 0 seq)
	discover "$variant"
	expectations "$variant"
	for f in ipv4 ipv6; do
		[ "$variant" = iptables ] || break
		expect_same "$variant: ctalg expect list = conntrack -L expect ($f)" \
			router $f
	done
	queue_check "$variant: ctalgd saw the packets (queue 0)" 0 "$seq0"
done

# Refusals. An mdns query from port 853: its expectation would open a
# privileged port to any host's port 5353 (the port floor, 1024).
check_fails "nft, mdns query from port 853: no answer comes in" \
	ask nft-mdns853 853 224.0.0.251 5353 $MDNS_Q 2
check "nft, mdns query from port 853: no expectation" \
	test -z "$(expect_find router dport=853)"
# A device whose LOCATION names a third host (the client, 10.0.1.2): the
# expectation would let the control point be made to connect anywhere;
# it must go to the device that answered.
# (A second device on port 1900 beside miniupnpd; both answer.)
spawn r-foreign server vm-udp answer -g 239.255.255.250 -i s0 -n 1 -t 20 1900 @$M/answer-foreign
wait_for 10 grep -q ready "$VM_LOG/r-foreign.log"
in_ns router vm-udp ask -p 41901 -i r1 -n 2 -t 3 239.255.255.250 1900 \
	@$M/msearch >"$VM_LOG/nft-foreign.log" 2>&1
finish r-foreign 5
check_eq "nft, ssdp answer naming a third host: both devices' answers come in" \
	"$(grep -c "^$DEV4 1900 " "$VM_LOG/nft-foreign.log")" 2
check "nft, ssdp answer naming a third host: no expectation towards it" \
	test -z "$(expect_find router proto=6 dst=$CLIENT4)"
# IPv6: a search of ff02::c from the host's link-local address. miniupnpd
# answers from its own and names its routable address in LOCATION; the
# helper asks for that from any source address, and ctalgd's policy
# refuses it: the destination is not the answer's sender
# (doc/helpers/ssdp.md, "IPv6 and link-local searches").
printf 'M-SEARCH * HTTP/1.1\r\nHOST: [ff02::c]:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n' >$M/msearch6
ask nft-ssdp6 41902 ff02::c 1900 @$M/msearch6
answered "nft, ssdp IPv6 search: miniupnpd's answer comes in" nft-ssdp6 "fe80::[0-9a-f:]*" 1900
expect_check "nft, ssdp IPv6 search: its expectation, any address to the searcher" \
	router proto=17 src=:: dst=$HOSTLL sport=0 dport=41902 mask-src=:: \
	mask-sport=0 master-src=$HOSTLL master-dst=ff02::c master-dport=1900 \
	class=1 helper=ssdp flags=PERMANENT
check "nft, ssdp IPv6 search: no expectation to the LOCATION's routable address" \
	test -z "$(expect_find router proto=6 dst=$SERVER6)"

st() {
	ctalgd_stat "$@"
}
counted() {
	for t in "mdns inet" "mdns inet6" "slp inet" "slp inet6" \
		"dhcpv6 inet6" "ssdp/udp inet" "ssdp/udp inet6" "ssdp/tcp inet"; do
		# shellcheck disable=SC2086
		n=$(st $t packets)
		echo "$t: $n packets"
		[ "${n:-0}" -gt 0 ] || return 1
	done
}
check "ctalg status: every Type counted its packets" counted
check_eq "ctalg status: expectations created, mdns inet, inet6" \
	"$(st mdns inet expectations_created) $(st mdns inet6 expectations_created)" "2 2"
check_eq "ctalg status: expectations created, slp inet, inet6" \
	"$(st slp inet expectations_created) $(st slp inet6 expectations_created)" "2 2"
# dhclient's Solicit and Request (and any retransmission) each ask.
dhcp_created=$(st dhcpv6 inet6 expectations_created)
check "ctalg status: expectations created, dhcpv6: a Solicit and a Request per run at least ($dhcp_created)" \
	test "$dhcp_created" -ge 4 -a "$dhcp_created" = "$(st dhcpv6 inet6 parsed)"
# Per discover: the search and the LOCATION (udp), the SUBSCRIBE's
# callback and its renewal by the control point's 200 (tcp); and the
# third host's search with miniupnpd's LOCATION.
# (How often upnpc searches and miniupnpd answers is theirs to choose.)
ssdp_created=$(st ssdp/udp inet expectations_created)
check "ctalg status: expectations created, ssdp udp: 6 at least ($ssdp_created)" \
	test "$ssdp_created" -ge 6
check_eq "ctalg status: expectations created, ssdp tcp" \
	"$(st ssdp/tcp inet expectations_created)" 4
check_eq "ctalg status: the mdns query from port 853 refused (port)" \
	"$(st mdns inet refused.port)" 1
check_eq "ctalg status: the LOCATION naming a third host refused (address)" \
	"$(st ssdp/udp inet refused.address)" 1
check_eq "ctalg status: the IPv6 search's expectation, not its LOCATION (address)" \
	"$(st ssdp/udp inet6 expectations_created) $(st ssdp/udp inet6 refused.address)" "1 1"
check_eq "ctalg status: nothing malformed" \
	"$(st mdns inet parse_errors)$(st mdns inet6 parse_errors)$(st slp inet parse_errors)$(st slp inet6 parse_errors)$(st dhcpv6 inet6 parse_errors)$(st ssdp/udp inet parse_errors)$(st ssdp/tcp inet parse_errors)" \
	0000000
diag "$(ctalg status socket $CTALGD_SOCK)"

# Negative controls: the same queries with no helper attached. The
# answers are new connections to the host: dropped.
for variant in iptables nft; do
	router_flush
	check "$variant, no helper: host rules without the helpers" \
		host_rules "$variant"
	dropped=$(host_dropped)
	background n-mdns4 ask "n-$variant-mdns4" 40053 224.0.0.251 5353 $MDNS_Q 2
	background n-mdns6 ask "n-$variant-mdns6" 40053 ff02::fb 5353 $MDNS_Q6 2
	background n-slp4 ask "n-$variant-slp4" 40427 239.255.255.253 427 $SLP_Q 2
	background n-slp6 ask "n-$variant-slp6" 40427 ff02::116 427 $SLP_Q 2
	background n-dhcp6 ask "n-$variant-dhcp6" 546 ff02::1:2 547 $DHCP6_Q 2
	background n-ssdp ask "n-$variant-ssdp" 41900 239.255.255.250 1900 @$M/msearch 2
	subscribe_and_event "n-$variant" 3
	for n in mdns4 mdns6 slp4 slp6 dhcp6 ssdp; do
		finish "n-$n" 10
		check_fails "$variant, $n without the helper: no answer comes in" test $? = 0
	done
	check_eq "$variant, ssdp without the helper: the event NOTIFY is dropped" \
		"$event_ok" 1
	check "$variant, no helper: no expectation" test -z "$(expect_list router)"
	check "$variant, no helper: the host dropped the answers" \
		test "$(host_dropped)" -ge "$(($dropped + 7))"
done

# The reference on the same traffic. ctalgd leaves its helpers registered
# (disabled) when it stops: they go, with every rule and connection that
# holds them, before conntrackd registers its own.
ctalgd_stop
host_rules iptables
router_flush
check "ctalgd's helpers deleted" ctalg helper flush
IFS='|'
# shellcheck disable=SC2086
set -- $TYPES
unset IFS
conntrackd_start "$@" || return 1
check "conntrackd: host rules attaching the helpers" host_rules iptables helpers
discover conntrackd
expect_snapshot router 8
diag "$EXPECT_SNAP"

# ref_exp NAME: conntrackd's expectation for NAME in $REF, found by the
# fields of ctalgd's ($ours) that do not change from run to run (KEYS_NAME,
# by default the protocol, the master's destination and the expected
# port); fails when none.
KEYS_search="proto master-dst master-dport"
KEYS_location="proto dst dport"
ref_exp() {
	eval "ours=\$SEEN_iptables_$1 _keys=\${KEYS_$1:-proto master-dst master-dport dport}"
	_kv=""
	for _k in $_keys; do
		_kv="$_kv $_k=$(field "$ours" "$_k")"
	done
	# shellcheck disable=SC2086
	REF=$(expect_in $_kv)
}

# without LINE FIELD...: LINE without those fields.
without() {
	_l=$1
	shift
	for _f in "$@"; do
		_l=$(printf '%s\n' "$_l" | tr ' ' '\n' | grep -v "^$_f=" | tr '\n' ' ')
	done
	printf '%s\n' "$_l"
}

# compare NAME [FIELD...]: conntrackd's expectation for NAME is ctalgd's,
# but for the FIELDs given.
compare() {
	_n=$1
	shift
	_desc="conntrackd, $_n: the same expectation as ctalgd's${1:+ but $*}"
	if ref_exp "$_n"; then
		check_eq "$_desc" "$(without "$REF" "$@")" "$(without "$ours" "$@")"
	else
		not_ok "$_desc" "conntrackd made none; ctalgd's: $ours"
	fi
}

# defect NAME DESCRIPTION FIELD=VALUE...: where the reference differs by a
# known defect, ctalgd's expectation has the right FIELDs; the
# reference's is a diagnostic.
defect() {
	_n=$1 _d=$2
	shift 2
	eval "ours=\$SEEN_iptables_$_n"
	if _vm_expect_filter "$ours" "$@" >/dev/null; then
		ok "$_n: ctalgd's $*; conntrackd $_d"
		diag "conntrackd's: $REF"
	else
		not_ok "$_n: ctalgd's $*; conntrackd $_d" "ctalgd's: $ours"
	fi
}

for e in mdns4 mdns6 slp4 slp6; do
	compare $e
done
# The ports upnpc and miniupnpd choose differ from run to run.
compare callback master-sport
compare dhcp6 sport mask-sport
defect dhcp6 "admits any source port (its plugin sets none)" \
	sport=547 mask-sport=65535
compare search class dport master-sport
defect search "puts the search in class 0, with the 300 s of the rest" \
	class=1
compare location src mask-src master-dport
defect location "admits any source address (its LOCATION defect)" \
	src=$HOST4 mask-src=255.255.255.255
