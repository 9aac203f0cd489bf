# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd's sane helper on the router; saned with SANE's test backend on the
# server; scanimage on the client scanning through the net backend,
# through a router that drops every forwarded connection it does not know
# as ESTABLISHED or RELATED. Over IPv4 and IPv6, with the iptables and
# the nft ruleset: the expectation for the scan's data connection is read
# field by field while that connection is held at the client, then the
# image must arrive, byte for byte the one the test backend makes on the
# server itself. `ctalg status` must count the packets and expectations.
# Then conntrackd's sane helper on the same scans, its expectations
# compared field by field with ctalgd's; and without a helper attached a
# scan must fail.
# vm-packages: conntrackd sane-utils libsane1
# vm-programs: conntrackd saned scanimage
# vm-programs: /usr/lib/x86_64-linux-gnu/sane/libsane-net.so.1
# vm-programs: /usr/lib/x86_64-linux-gnu/sane/libsane-test.so.1
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_sane.so

DATA_PORT=40200
SERVER_CONF=/tmp/vm/sane-server
CLIENT_CONF=/tmp/vm/sane-client

net_setup || return 1

# Two configurations in one file system: the server's loads the test
# backend and lets the client's networks in; the client's loads only the
# net backend. saned opens each scan's data connection on DATA_PORT.
mkdir -p $SERVER_CONF $CLIENT_CONF
echo test >$SERVER_CONF/dll.conf
# The test backend's settings as Debian ships them (without them it scans
# an empty area and never ends), a grid at 100 dpi: 315 x 393 pixels.
cat >$SERVER_CONF/test.conf <<EOF
number_of_devices 2
mode Gray
depth 8
hand-scanner false
three-pass false
three-pass-order RGB
resolution_min 1.0
resolution_max 1200.0
resolution_quant 1.0
resolution 100.0
test-picture "Grid"
invert-endianess false
read-limit false
read-limit-size 1
read-delay false
read-delay-duration 1000
read-status-code "Default"
fuzzy-parameters false
ppl-loss 0
non-blocking false
select-fd false
enable-test-options false
geometry_min 0.0
geometry_max 200.0
geometry_quant 1.0
tl_x 0.0
tl_y 0.0
br_x 80.0
br_y 100.0
EOF
cat >$SERVER_CONF/saned.conf <<EOF
data_portrange = $DATA_PORT - $DATA_PORT
10.0.1.0/24
[fd00:1::]/64
EOF
echo net >$CLIENT_CONF/dll.conf
echo "connect_timeout = 5" >$CLIENT_CONF/net.conf

export SANE_CONFIG_DIR=$SERVER_CONF
spawn saned server saned -l -e -d 1
check "saned listens on port 6566" wait_port server tcp 6566
# The image the test backend makes, scanned on the server itself.
check "the test backend scans locally" \
	sh -c "scanimage -d test:0 >/tmp/vm/local.pnm &&
		test -s /tmp/vm/local.pnm"
export SANE_CONFIG_DIR=$CLIENT_CONF

# scan NAME DEVICE_HOST SECONDS: scanimage on the client through the net
# backend into /tmp/vm/NAME.pnm, killed after SECONDS; succeeds if the
# image is the local one.
scan() {
	in_ns client timeout -s KILL "$3" scanimage -d "net:$2:test:0" \
		>"/tmp/vm/$1.pnm" &&
		cmp -s /tmp/vm/local.pnm "/tmp/vm/$1.pnm"
}

# family 4|6: set the addresses of the family.
family() {
	if [ "$1" = 6 ]; then
		client=$CLIENT6 server=$SERVER6 dev="[$SERVER6]"
		mask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
	else
		client=$CLIENT4 server=$SERVER4 dev=$SERVER4
		mask=255.255.255.255
	fi
}

# held_scan WHO NAME FAMILY: a scan whose data connection is held at the
# client until its expectation has been checked; the expectation line is
# kept in /tmp/vm/NAME.exp.
held_scan() {
	family "$3"
	hold client tcp dport $DATA_PORT
	background "$2" scan "$2" "$dev" 40
	expect_check "$1, IPv$3: expectation client -> server:$DATA_PORT" \
		router proto=6 src=$client dst=$server sport=0 \
		dport=$DATA_PORT mask-src=$mask mask-dst=$mask mask-sport=0 \
		mask-dport=65535 master-src=$client master-dst=$server \
		master-dport=6566 class=0 helper=sane
	expect_find router proto=6 master-dport=6566 >"/tmp/vm/$2.exp"
	[ "$1" = "ctalgd, iptables" ] &&
		expect_same "$1, IPv$3: ctalg expect list = conntrack -L expect" \
			router ipv$3
	release client
	finish "$2" 40
	check_eq "$1, IPv$3: the image arrives over the data connection, intact" \
		"$?" 0
}

ctalgd_start "sane inet tcp" "sane inet6 tcp" || return 1
scans=0
for variant in iptables nft; do
	router_flush
	check "$variant: ruleset attaching sane to tcp/6566" \
		router_rules "$variant" tcp/6566=sane
	seq0=$(queue_stat 0 seq)
	for f in 4 6; do
		held_scan "ctalgd, $variant" "ctalgd-$variant-$f" $f
		scans=$((scans + 1))
	done
	queue_check "$variant: ctalgd saw the packets (queue 0)" 0 "$seq0"
done

# The counters: every scan one expectation, asked and made, none refused.
half=$((scans / 2))
check "ctalg status: packets of both families" ctalgd_saw_both sane
check_eq "ctalg status: expectations sent, per family" \
	"$(ctalgd_stats sane expectations_sent)" "$half $half"
check_eq "ctalg status: expectations the kernel created, per family" \
	"$(ctalgd_stats sane expectations_created)" "$half $half"
check_eq "ctalg status: none refused, no parse error" \
	"$(ctalgd_stats sane expectations_refused) $(ctalgd_stats sane parse_errors)" "0 0 0 0"
diag "$(ctalg status socket $CTALGD_SOCK)"

# ---- conntrackd's sane helper on the same scans ----------------------------
# It registers "sane" with its own private length: ctalgd's registration
# goes first, and the rules must let go of it (on 6.1 the rules are loaded
# again after any helper is deleted: README, kernel notes).
to_conntrackd sane tcp/6566 "sane inet tcp" "sane inet6 tcp" || return 1
for f in 4 6; do
	router_flush
	held_scan conntrackd "conntrackd-$f" $f
	same_output "conntrackd, IPv$f: the same expectation as ctalgd's, field by field" \
		"sed 's/ master-sport=[0-9]*//' /tmp/vm/ctalgd-iptables-$f.exp" \
		"sed 's/ master-sport=[0-9]*//' /tmp/vm/conntrackd-$f.exp"
done

# ---- negative control ------------------------------------------------------
# The control connection is still admitted; without a helper nothing makes
# the data connection RELATED: the router drops its SYN.
check "nft, no helper: ruleset admitting tcp/6566 only" \
	router_rules nft tcp/6566
router_flush
dropped=$(router_dropped)
family 4
background none scan none "$dev" 12
dropped_more() {
	[ "$(router_dropped)" -gt "$dropped" ]
}
check "without the helper: the router drops the data connection" \
	wait_for 20 dropped_more
stop none
check_fails "without the helper: no image arrives" \
	cmp -s /tmp/vm/local.pnm /tmp/vm/none.pnm
check "without the helper: no expectation" test -z "$(expect_list router)"
