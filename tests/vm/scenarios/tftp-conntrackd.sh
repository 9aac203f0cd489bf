# SPDX-License-Identifier: GPL-2.0-or-later
# The reference on TFTP: conntrackd's tftp helper on the router, tftpd-hpa
# on the server, tftp-hpa on the client reading a file through the router,
# over IPv4 and IPv6, with the iptables and the nft ruleset. The server
# answers from a new port, which only the helper's expectation (server,
# any port -> the client's port) lets through: it is read from `conntrack
# -L expect` while the server's first answer is held, then the file must
# arrive intact. Without the helper attached the same reads must fail.
# vm-packages: conntrackd tftpd-hpa tftp-hpa
# vm-programs: conntrackd in.tftpd tftp
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_tftp.so

net_setup || return 1

tftpd_start

conntrackd_start "tftp inet udp" "tftp inet6 udp" || return 1

for variant in iptables nft; do
	router_flush
	check "$variant: ruleset attaching tftp to udp/69" \
		router_rules "$variant" udp/69=tftp
	for family in 4 6; do
		seq0=$(queue_stat $((family / 6)) seq)
		if [ $family = 4 ]; then
			client=$CLIENT4 server=$SERVER4 mask=255.255.255.255
		else
			client=$CLIENT6 server=$SERVER6
			mask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
		fi
		hold server udp sport != 69
		out=/tmp/vm/tftp-$variant-$family.out
		background "get-$variant-$family" tftp_get "$server" "$out" 20
		if expect_check "$variant, IPv$family: expectation server -> client" \
			router proto=17 src=$server dst=$client sport=0 \
			mask-src=$mask mask-sport=0 master-src=$client \
			master-dst=$server master-dport=69 helper=tftp; then
			line=$(expect_find router proto=17 src=$server \
				master-dport=69)
			check_eq "$variant, IPv$family: the expected port is the client's" \
				"$(field "$line" dport)" \
				"$(field "$line" master-sport)"
			expect_same "$variant, IPv$family: ctalg expect list = conntrack -L expect" \
				router ipv$family
		fi
		release server
		finish "get-$variant-$family" 30
		check_eq "$variant, IPv$family: the file arrives intact" "$?" 0
		queue_check "$variant, IPv$family: conntrackd saw the packets (queue $((family / 6)))" \
			$((family / 6)) "$seq0"
	done
done

# Negative controls (the guest library's tftp_negative).
tftp_negative 6
