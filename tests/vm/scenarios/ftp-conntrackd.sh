# SPDX-License-Identifier: GPL-2.0-or-later
# The reference on FTP: conntrackd's ftp helper on the router, vsftpd on
# the server, curl on the client downloading through a router that drops
# every forwarded connection it does not know as ESTABLISHED or RELATED.
# Passive (PASV) and active (PORT) mode, with the iptables and the nft
# ruleset; each time the expectation is read from `conntrack -L expect`
# while the data connection is held at its sender, then the data must
# arrive intact. Without the helper attached the same downloads must fail.
#
# IPv4 only: conntrackd's ftp helper never parses EPRT |2| and breaks EPSV
# when client and server addresses differ (conntrackd_helper_mode.md §5),
# so IPv6 FTP does not work through it. curl is told to use PASV and PORT
# for the same reason (--disable-epsv, --disable-eprt).
# vm-packages: conntrackd vsftpd curl
# vm-programs: conntrackd vsftpd curl
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_ftp.so

PASV_PORT=30000
PORT_PORT=40000

net_setup || return 1

vsftpd_start $PASV_PORT
head -c 65536 /dev/urandom >/srv/ftp/data.bin

# Registers the user-space helper "ftp" before any rule names it, so the
# kernel never looks for its own ftp module (vm_testing.md trap 6).
conntrackd_start "ftp inet tcp" || return 1

# download NAME MODE SECONDS: curl fetches data.bin in MODE (pasv|port)
# into /tmp/vm/NAME.out, in the background.
download() {
	case $2 in
	pasv) _mode=--disable-epsv ;;
	port) _mode="--disable-eprt -P $CLIENT4:$PORT_PORT-$PORT_PORT" ;;
	esac
	rm -f "/tmp/vm/$1.out"
	spawn "$1" client curl -sS $_mode --max-time "$3" \
		-o "/tmp/vm/$1.out" "ftp://$SERVER4/data.bin"
}

for variant in iptables nft; do
	router_flush
	check "$variant: ruleset attaching ftp to tcp/21" \
		router_rules "$variant" 4:tcp/21=ftp
	seq0=$(queue_stat 0 seq)

	# PASV: the client opens the data connection to the server.
	hold client tcp dport $PASV_PORT
	download "pasv-$variant" pasv 20
	expect_check "$variant, passive: expectation client -> server:$PASV_PORT" \
		router proto=6 src=$CLIENT4 dst=$SERVER4 sport=0 \
		dport=$PASV_PORT mask-src=255.255.255.255 mask-sport=0 \
		master-src=$CLIENT4 master-dst=$SERVER4 master-dport=21 \
		helper=ftp
	expect_same "$variant, passive: ctalg expect list = conntrack -L expect" \
		router ipv4
	release client
	finish "pasv-$variant" 30
	check_eq "$variant, passive: curl succeeds" "$?" 0
	check "$variant, passive: the file arrives intact" \
		cmp /srv/ftp/data.bin "/tmp/vm/pasv-$variant.out"

	# PORT: the server opens the data connection to the client.
	hold server tcp dport $PORT_PORT
	download "port-$variant" port 20
	expect_check "$variant, active: expectation server -> client:$PORT_PORT" \
		router proto=6 src=$SERVER4 dst=$CLIENT4 sport=0 \
		dport=$PORT_PORT mask-src=255.255.255.255 mask-sport=0 \
		master-src=$CLIENT4 master-dst=$SERVER4 master-dport=21 \
		helper=ftp
	expect_same "$variant, active: ctalg expect list = conntrack -L expect" \
		router ipv4
	release server
	finish "port-$variant" 30
	check_eq "$variant, active: curl succeeds" "$?" 0
	check "$variant, active: the file arrives intact" \
		cmp /srv/ftp/data.bin "/tmp/vm/port-$variant.out"

	# On 6.1 the data connections inherit the helper (vm_testing.md trap
	# 5), so every data packet is queued too, and conntrackd, which never
	# sizes its socket buffer, loses some to overruns; TCP resends them.
	queue_check "$variant: conntrackd saw the packets (queue 0)" 0 "$seq0" \
		"$([ "$VM_KERNEL" = 6.1 ] && echo 100 || echo 0)"
done

# Negative controls: the control connection is still admitted, but with no
# helper attached nothing makes the data connection RELATED.
for run in "iptables pasv" "nft port"; do
	set -- $run
	router_flush
	check "$1, no helper: ruleset admitting tcp/21 only" \
		router_rules "$1" 4:tcp/21
	dropped=$(router_dropped)
	download "none-$2" "$2" 8
	finish "none-$2" 15
	check_fails "$1, $2 without the helper: curl fails" test "$?" -eq 0
	check "$1, $2 without the helper: no expectation" \
		test -z "$(expect_list router)"
	check "$1, $2 without the helper: the router dropped the data connection" \
		test "$(router_dropped)" -gt "$dropped"
done
