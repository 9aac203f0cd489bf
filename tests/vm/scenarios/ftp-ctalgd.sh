# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd's ftp helper on the router; vsftpd on the server; curl on the
# client downloading through a router that drops every forwarded
# connection it does not know as ESTABLISHED or RELATED. Every mode a
# client uses (PASV, EPSV, PORT, EPRT) over IPv4, and EPSV and EPRT over
# IPv6, with the iptables and the nft ruleset. Each time the expectation
# is read while the data connection is held at its sender and compared
# field by field; `ctalg expect list` must print what `conntrack -L
# expect` prints; then the data must arrive intact. `ctalg helper list`
# must print what `nfct helper list` prints. Without the helper attached
# the same downloads must fail.
#
# Client (10.0.1.2) and server (10.0.2.2) have different addresses, so an
# EPSV expectation that pointed at the client's address (conntrackd's bug)
# would not admit the data connection.
# vm-packages: vsftpd curl
# vm-programs: vsftpd curl

PASV_PORT=30000
PORT_PORT=40000

net_setup || return 1

vsftpd_start $PASV_PORT
head -c 65536 /dev/urandom >/srv/ftp/data.bin

# Registered before any rule names "ftp", so the kernel never looks for
# its own ftp module (vm_testing.md trap 6).
ctalgd_start "ftp inet tcp" "ftp inet6 tcp" || return 1
same_output "ctalg helper list = nfct helper list" \
	"ctalg helper list" "nfct helper list"
same_output "ctalg helper get ftp inet6 tcp = nfct helper get ftp inet6 tcp" \
	"ctalg helper get ftp inet6 tcp" "nfct helper get ftp inet6 tcp"

# download NAME MODE HOST SECONDS ACTIVE_ADDR: curl fetches data.bin from
# HOST in MODE (pasv, epsv, port, eprt) into /tmp/vm/NAME.out, in the
# background; an active mode listens on ACTIVE_ADDR port $PORT_PORT.
download() {
	case $2 in
	pasv) _mode=--disable-epsv ;;
	epsv) _mode= ;;
	port) _mode="--disable-eprt -P $5:$PORT_PORT-$PORT_PORT" ;;
	eprt) _mode="-P $5:$PORT_PORT-$PORT_PORT" ;;
	esac
	rm -f "/tmp/vm/$1.out"
	spawn "$1" client curl -sS $_mode --max-time "$4" \
		-o "/tmp/vm/$1.out" "ftp://$3/data.bin"
}

fresh() {
	in_ns router conntrack -F 2>/dev/null
	in_ns router conntrack -f ipv6 -F 2>/dev/null
	in_ns router conntrack -F expect 2>/dev/null
}

# transfer VARIANT MODE FAMILY: one download, its expectation checked while
# the data connection is held, then the data.
transfer() {
	_v=$1 _m=$2 _f=$3
	if [ "$_f" = 6 ]; then
		_c=$CLIENT6 _s=$SERVER6 _host="[$SERVER6]" _act="[$CLIENT6]"
		_fam="-f ipv6" _mask=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
	else
		_c=$CLIENT4 _s=$SERVER4 _host=$SERVER4 _act=$CLIENT4
		_fam="" _mask=255.255.255.255
	fi
	_name="$_m$_f-$_v"
	case $_m in
	pasv | epsv)
		_held=client _port=$PASV_PORT _from=$_c _to=$_s
		_what="client -> server:$PASV_PORT"
		;;
	*)
		_held=server _port=$PORT_PORT _from=$_s _to=$_c
		_what="server -> client:$PORT_PORT"
		;;
	esac
	hold "$_held" tcp dport "$_port"
	download "$_name" "$_m" "$_host" 20 "$_act"
	expect_check "$_v, $_m IPv$_f: expectation $_what" \
		router proto=6 src=$_from dst=$_to sport=0 dport=$_port \
		mask-src=$_mask mask-sport=0 mask-dport=65535 \
		master-src=$_c master-dst=$_s master-dport=21 \
		class=0 helper=ftp
	# Once per family and direction: each listing costs a second here.
	if [ "$_v" = iptables ] && [ "$_m" != epsv ] && [ "$_m$_f" != port4 ]; then
		same_output "$_v, $_m IPv$_f: ctalg expect list = conntrack -L expect" \
			"in_ns router ctalg expect list family ipv$_f" \
			"in_ns router conntrack -L expect $_fam 2>/dev/null"
		check "$_v, $_m IPv$_f: ctalg -o json expect list has the port" \
			sh -c "/usr/sbin/ip netns exec router ctalg -o json expect list |
				grep -q '\"dport\":$_port'"
	fi
	release "$_held"
	finish "$_name" 30
	check_eq "$_v, $_m IPv$_f: curl succeeds" "$?" 0
	check "$_v, $_m IPv$_f: the file arrives intact" \
		cmp /srv/ftp/data.bin "/tmp/vm/$_name.out"
}

transfers=0
for variant in iptables nft; do
	fresh
	check "$variant: ruleset attaching ftp to tcp/21" \
		router_rules "$variant" tcp/21=ftp
	seq0=$(queue_stat 0 seq)
	for t in "pasv 4" "epsv 4" "port 4" "eprt 4" "epsv 6" "eprt 6"; do
		set -- $t
		transfer "$variant" "$1" "$2"
		transfers=$((transfers + 1))
	done
	queue_check "$variant: ctalgd saw the packets (queue 0)" 0 "$seq0"
done

created=$(($(ctalgd_stat ftp inet expectations_created) + \
	$(ctalgd_stat ftp inet6 expectations_created)))
check_eq "ctalg status: one expectation per transfer ($transfers)" \
	"$created" "$transfers"
check_eq "ctalg status: nothing refused, nothing malformed" \
	"$(ctalgd_stat ftp inet expectations_refused) $(ctalgd_stat ftp inet6 expectations_refused) $(ctalgd_stat ftp inet parse_errors) $(ctalgd_stat ftp inet6 parse_errors)" \
	"0 0 0 0"
diag "$(ctalg status socket $CTALGD_SOCK)"

# Negative controls: the control connection is still admitted, but with no
# helper attached nothing makes the data connection RELATED.
for run in "iptables pasv 4" "nft eprt 6"; do
	set -- $run
	fresh
	check "$1, no helper: ruleset admitting tcp/21 only" \
		router_rules "$1" tcp/21
	dropped=$(router_dropped)
	if [ "$3" = 6 ]; then
		download "none-$2" "$2" "[$SERVER6]" 8 "[$CLIENT6]"
	else
		download "none-$2" "$2" "$SERVER4" 8 "$CLIENT4"
	fi
	finish "none-$2" 15
	check_fails "$1, $2 IPv$3 without the helper: curl fails" test "$?" -eq 0
	check "$1, $2 IPv$3 without the helper: no expectation" \
		test -z "$(in_ns router conntrack -L expect 2>/dev/null)$(in_ns router conntrack -L expect -f ipv6 2>/dev/null)"
	check "$1, $2 IPv$3 without the helper: the router dropped the data connection" \
		test "$(router_dropped)" -gt "$dropped"
done
