# SPDX-License-Identifier: GPL-2.0-or-later
# The library's own proof, with no helper: the router forwards what its
# ruleset admits and drops the rest, in both ruleset variants and both
# address families. Every helper scenario's negative control relies on
# this.
# vm-packages: socat
# vm-programs: socat

net_setup || return 1
# The project's build is in every guest, on PATH, with its libraries.
check "the build's ctalg runs in the guest" ctalg --version
for port in 7777 8888; do
	spawn "echo$port" server socat "TCP6-LISTEN:$port,ipv6only=0,reuseaddr,fork" \
		"SYSTEM:echo hello $port"
done
listening() {
	wait_port server tcp 7777 && wait_port server tcp 8888
}
check "server listens on 7777 and 8888" listening

fetch() {
	in_ns client socat -T 5 - "TCP:$1,connect-timeout=$2" </dev/null
}

for variant in iptables nft; do
	check "$variant: ruleset admits tcp/7777 only" \
		router_rules "$variant" tcp/7777
	for addr in "$SERVER4" "[$SERVER6]"; do
		check_eq "$variant: $addr:7777 is forwarded" \
			"$(fetch "$addr:7777" 5 2>&1)" "hello 7777"
		before=$(router_dropped)
		check_fails "$variant: $addr:8888 gets no answer" \
			fetch "$addr:8888" 1
		after=$(router_dropped)
		check "$variant: the router counted the drops ($before -> $after)" \
			test "$after" -gt "$before"
	done
done
