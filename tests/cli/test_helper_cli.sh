#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ctalg helper: every bad argument gets its exact message and exit status
# 2, before anything is sent; a request that reaches the kernel gets the
# kernel's answer. On a kernel without nfnetlink_cthelper (the development
# machines) every verb must fail with its message and exit 1, and nothing
# may hang; on a kernel with it, a helper of a name unique to this run is
# registered, listed, changed and deleted.
. "$SRCDIR/tests/lib/tap.sh"

# run ARGS...: ctalg's stdout, stderr and status in $out, $err, $rc.
run() {
	_e=$(mktemp)
	out=$(timeout 10 "$CTALG" "$@" 2>"$_e")
	rc=$?
	err=$(cat "$_e")
	rm -f "$_e"
}

# usage MESSAGE ARGS...: refused with "ctalg: MESSAGE", status 2, no output.
usage() {
	_want="ctalg: $1"
	shift
	run "$@"
	if [ "$rc" -eq 2 ] && [ "$err" = "$_want" ] && [ -z "$out" ]; then
		ok "ctalg $*: $_want"
	else
		not_ok "ctalg $*: $_want" "status $rc (want 2)" \
			"stderr: $err" "stdout: $out"
	fi
}

# refused STDERR ARGS...: the kernel said no: status 1, exactly STDERR.
refused() {
	_want=$1
	shift
	run "$@"
	if [ "$rc" -eq 1 ] && [ "$err" = "$_want" ] && [ -z "$out" ]; then
		ok "ctalg $*: refused by the kernel, status 1"
	else
		not_ok "ctalg $*: refused by the kernel, status 1" \
			"status $rc (want 1; 124 = hung)" "--- want" "$_want" \
			"+++ got" "$err" "stdout: $out"
	fi
}

notbuiltin='is not a built-in tcp helper: give its priv-len and at least one policy'
chars="may only contain letters, digits, '.', '_' and '-'"

# ---- verbs and options ----
usage 'helper: unknown verb "show" (see ctalg helper --help)' helper show
usage 'helper: unknown verb "List" (see ctalg helper --help)' helper List
usage 'helper: unknown verb "l" (see ctalg helper --help)' helper l
usage '-o: "yaml" is not an output format (text, json)' helper list -o yaml
usage '-o: missing value' helper list -o
run helper --help
check_eq "ctalg helper --help: status 0" "$rc" 0
case $out in
"Usage: ctalg helper add NAME FAMILY PROTO"*) ok "ctalg helper --help: usage on stdout" ;;
*) not_ok "ctalg helper --help: usage on stdout" "$out" ;;
esac
run helper
check_eq "ctalg helper without a verb: status 2" "$rc" 2

# ---- add ----
usage 'helper add: missing helper name' helper add
usage 'helper add: missing family (inet, inet6)' helper add x
usage 'helper add: missing protocol (tcp, udp)' helper add x inet
usage 'protocol: "sctp" is not tcp or udp' helper add x inet sctp
usage 'protocol: "6" is not tcp or udp' helper add x inet 6
usage 'protocol: "TCP" is not tcp or udp' helper add x inet TCP
usage 'family: "ipx" is not a family (inet, inet6, ipv4, ipv6)' \
	helper add x ipx tcp
usage 'helper name: "abcdefghijklmnop" is not 1-15 characters long' \
	helper add abcdefghijklmnop inet tcp
usage 'helper name: "" is not 1-15 characters long' helper add '' inet tcp
usage "helper name: \"a/b\" $chars" helper add a/b inet tcp
usage "helper name: \"a b\" $chars" helper add 'a b' inet tcp
usage 'queue: missing value' helper add x inet tcp queue
usage 'queue: "x" is not a number' helper add x inet tcp queue x
usage 'queue: "-1" is not a number' helper add x inet tcp queue -1
usage 'queue: "0x10" is not a number' helper add x inet tcp queue 0x10
usage 'queue: 65536 is out of range (0-65535)' helper add x inet tcp queue 65536
usage 'queue: "99999999999" is not a number' \
	helper add x inet tcp queue 99999999999
usage 'queue: given twice' helper add x inet tcp queue 1 queue 2
usage 'status: missing value' helper add x inet tcp status
usage 'status: "on" is not enabled or disabled' helper add x inet tcp status on
usage 'status: given twice' \
	helper add x inet tcp status enabled status disabled
usage 'priv-len: 33 is out of range (0-32)' helper add x inet tcp priv-len 33
usage 'priv-len: given twice' helper add x inet tcp priv-len 1 priv-len 1
usage 'policy: missing value' helper add x inet tcp policy
usage 'policy: "abcdefghijklmnop" is not 1-15 characters long' \
	helper add x inet tcp policy abcdefghijklmnop max 1 timeout 1
usage "policy: \"p:q\" $chars" helper add x inet tcp policy p:q max 1 timeout 1
usage 'policy p: expected "max N timeout S" after the class name' \
	helper add x inet tcp policy p
usage 'policy p: expected "max N timeout S" after the class name' \
	helper add x inet tcp policy p timeout 1 max 1
usage 'max: missing value' helper add x inet tcp policy p max
usage 'max: 256 is out of range (0-255)' \
	helper add x inet tcp policy p max 256 timeout 1
usage 'policy p: expected "timeout S" after max' \
	helper add x inet tcp policy p max 1
usage 'policy p: expected "timeout S" after max' \
	helper add x inet tcp policy p max 1 queue 1
usage 'timeout: 2147484 is out of range (0-2147483)' \
	helper add x inet tcp policy p max 1 timeout 2147484
usage 'timeout: "1s" is not a number' \
	helper add x inet tcp policy p max 1 timeout 1s
usage 'policy p: given twice' \
	helper add x inet tcp policy p max 1 timeout 1 policy p max 2 timeout 2
usage 'policy e: at most 4 policies' \
	helper add x inet tcp policy a max 1 timeout 1 policy b max 1 timeout 1 \
	policy c max 1 timeout 1 policy d max 1 timeout 1 policy e max 1 timeout 1
usage 'helper add: unknown argument "bogus"' helper add x inet tcp bogus
usage 'helper add: unknown argument "Queue"' helper add x inet tcp Queue 1
usage "helper add: \"nosuch\" $notbuiltin" helper add nosuch inet tcp
usage "helper add: \"nosuch\" $notbuiltin" \
	helper add nosuch inet tcp policy p max 1 timeout 1
usage "helper add: \"nosuch\" $notbuiltin" helper add nosuch inet tcp priv-len 4
usage "helper add: \"nosuch\" $notbuiltin" \
	helper add nosuch inet tcp queue 1 status enabled
usage 'helper add: "nosuch" is not a built-in udp helper: give its priv-len and at least one policy' \
	helper add nosuch inet6 udp

# ---- delete, get, list, flush, disable ----
usage 'helper delete: missing helper name' helper delete
usage 'helper delete: unexpected argument "x"' helper delete n inet tcp x
usage 'family: "tcp" is not a family (inet, inet6, ipv4, ipv6)' \
	helper delete n tcp
usage 'helper name: "abcdefghijklmnop" is not 1-15 characters long' \
	helper delete abcdefghijklmnop
usage 'helper get: missing helper name' helper get
usage 'protocol: "icmp" is not tcp or udp' helper get n inet icmp
usage 'helper get: unexpected argument "y"' helper get n inet tcp y
usage 'helper list: unexpected argument "x"' helper list x
usage 'helper flush: unexpected argument "all"' helper flush all
usage 'helper disable: missing helper name' helper disable
usage 'helper disable: missing family (inet, inet6)' helper disable n
usage 'helper disable: missing protocol (tcp, udp)' helper disable n inet
usage 'helper disable: unexpected argument "x"' helper disable n inet tcp x

# The example of ctalg(8), so it cannot rot: its arguments as words.
example=$(sed -n '/^ctalg helper add myftp/,/status enabled$/p' \
	"$SRCDIR/doc/ctalg.8" | sed 's/\\e$//; s/\\-/-/g' | tr '\n\t' '  ')
case $example in
"ctalg helper add myftp "*) ok "ctalg(8) has its add example" ;;
*) not_ok "ctalg(8) has its add example" "$example" ;;
esac
# README.md shows the same command, and what get prints after it.
readme_cmd=$(sed -n 's/^# \(ctalg helper add myftp .*\)/\1/p' "$SRCDIR/README.md")
check_eq "README.md's add example is ctalg(8)'s" "$readme_cmd" \
	"$(echo "$example" | tr -s ' ' | sed 's/ $//')"
readme_out=$(sed -n '/^# ctalg helper get myftp$/,/^};$/p' "$SRCDIR/README.md" |
	sed 1d)

# ---- the kernel ----
run helper list
nohelper='ctalg: hint: this kernel has no nfnetlink_cthelper (CONFIG_NF_CT_NETLINK_HELPER): it takes no user-space helpers'
einval=': Invalid argument'
if [ "$rc" -eq 1 ] && [ "$err" = "ctalg: cannot list helpers$einval
$nohelper" ]; then
	diag "this kernel has no nfnetlink_cthelper: every verb must be refused"
	refused "ctalg: cannot list helpers$einval
$nohelper" helper list
	refused "ctalg: cannot list helpers$einval
$nohelper" -o json helper list
	refused "ctalg: cannot get helper \"ftp\"$einval
$nohelper" helper get ftp
	refused "ctalg: cannot get helper \"ftp\" (inet)$einval
$nohelper" helper get ftp inet
	refused "ctalg: cannot get helper \"ftp\" (inet6 udp)$einval
$nohelper" helper get ftp inet6 udp
	refused "ctalg: cannot delete helper \"ftp\"$einval
$nohelper" helper delete ftp
	refused "ctalg: cannot delete helper \"ftp\" (inet6)$einval
$nohelper" helper delete ftp inet6
	refused "ctalg: cannot delete helper \"ftp\" (inet tcp)$einval
$nohelper" helper delete ftp inet tcp
	refused "ctalg: cannot flush helpers$einval
$nohelper" helper flush
	refused "ctalg: cannot disable helper \"ftp\" (inet tcp)$einval
$nohelper" helper disable ftp inet tcp
	refused "ctalg: cannot add helper \"x\" (inet6 udp)$einval
$nohelper" helper add x inet6 udp priv-len 4 policy p max 1 timeout 30 \
		queue 3 status enabled
	# shellcheck disable=SC2086 # the example's words
	refused "ctalg: cannot add helper \"myftp\" (inet tcp)$einval
$nohelper" ${example#ctalg }
	# The reference meets the same refusal from the same kernel.
	if command -v nfct >/dev/null 2>&1; then
		_nerr=$(timeout 10 nfct helper list 2>&1)
		check_eq "nfct helper list: the same EINVAL from this kernel" \
			"$_nerr" "nfct v1.4.7: netlink error: Invalid argument"
	else
		skip "nfct is not installed: no reference refusal to compare"
	fi
elif [ "$rc" -eq 0 ]; then
	# A real nfnetlink_cthelper: the helper table is global, so only a
	# helper of our own name is touched, and removed whatever happens.
	name="ctt$$"
	cleanup() {
		for _n in "$name" "${name}e"; do
			timeout 10 "$CTALG" helper delete "$_n" >/dev/null 2>&1
		done
	}
	trap cleanup EXIT
	run helper add "$name" inet tcp priv-len 4 policy p max 1 timeout 30
	check_eq "add $name: status 0 ($err)" "$rc" 0
	run helper get "$name"
	check_eq "get $name: nfct's layout, created disabled" "$out" "{
	.name = $name,
	.queuenum = 0,
	.l3protonum = 2,
	.l4protonum = 6,
	.priv_data_len = 4,
	.status = disabled,
};"
	run helper add "$name" inet tcp priv-len 4 policy p max 3 timeout 60 \
		queue 7 status enabled
	check_eq "update $name: status 0 ($err)" "$rc" 0
	run -o json helper get "$name" inet
	check_eq "get $name as JSON: the update, policies included" "$out" \
		"{\"name\":\"$name\",\"family\":\"inet\",\"l3protonum\":2,\"proto\":\"tcp\",\"l4protonum\":6,\"queuenum\":7,\"priv_data_len\":4,\"status\":\"enabled\",\"policies\":[{\"name\":\"p\",\"max_expected\":3,\"timeout\":60}]}"
	run helper add "$name" inet tcp priv-len 8 policy p max 1 timeout 30
	check_eq "update with another priv-len: refused with EBUSY" "$err" \
		"ctalg: cannot add helper \"$name\" (inet tcp): Device or resource busy
ctalg: hint: \"$name\" is registered for inet tcp with another priv-len or other policies: delete it first"
	run helper add "$name" inet6 udp priv-len 32 queue 65535 \
		policy a max 0 timeout 1 policy b max 255 timeout 2147483 \
		policy c max 2 timeout 3 policy d max 3 timeout 4
	check_eq "add $name inet6 udp with 4 policies: status 0 ($err)" "$rc" 0
	run -o json helper get "$name" inet6 udp
	check_eq "get $name inet6 udp as JSON: 4 policies" "$out" \
		"{\"name\":\"$name\",\"family\":\"inet6\",\"l3protonum\":10,\"proto\":\"udp\",\"l4protonum\":17,\"queuenum\":65535,\"priv_data_len\":32,\"status\":\"disabled\",\"policies\":[{\"name\":\"a\",\"max_expected\":0,\"timeout\":1},{\"name\":\"b\",\"max_expected\":255,\"timeout\":2147483},{\"name\":\"c\",\"max_expected\":2,\"timeout\":3},{\"name\":\"d\",\"max_expected\":3,\"timeout\":4}]}"
	if command -v nfct >/dev/null 2>&1; then
		same=$(timeout 10 nfct helper list)
		run helper list
		check_eq "list: identical to nfct helper list" "$out" "$same"
		same=$(timeout 10 nfct helper get "$name" inet6 udp)
		run helper get "$name" inet6 udp
		check_eq "get $name inet6 udp: identical to nfct helper get" \
			"$out" "$same"
	else
		skip "nfct is not installed: no side-by-side listing"
		skip "nfct is not installed: no side-by-side get"
	fi
	# shellcheck disable=SC2086 # the example's words, on a name of ours
	run $(echo "${example#ctalg }" | sed "s/ myftp / ${name}e /")
	check_eq "ctalg(8)'s example as ${name}e: status 0 ($err)" "$rc" 0
	run helper get "${name}e"
	check_eq "get ${name}e: README.md's output of the example" "$out" \
		"$(echo "$readme_out" | sed "s/= myftp,/= ${name}e,/")"
	run helper delete "${name}e"
	check_eq "delete ${name}e: status 0 ($err)" "$rc" 0
	run helper disable "$name" inet tcp
	check_eq "disable $name: status 0 ($err)" "$rc" 0
	run helper get "$name" inet tcp
	case $out in
	*".status = disabled,"*) ok "get $name inet tcp: disabled again" ;;
	*) not_ok "get $name inet tcp: disabled again" "$out" "$err" ;;
	esac
	run helper delete "$name" inet
	check_eq "delete $name inet: status 0 ($err)" "$rc" 0
	run helper get "$name" inet6 udp
	check_eq "delete $name inet left $name inet6 udp ($err)" "$rc" 0
	run helper delete "$name"
	check_eq "delete $name: status 0 ($err)" "$rc" 0
	refused "ctalg: cannot get helper \"$name\": No such file or directory" \
		helper get "$name"
elif [ "$rc" -eq 1 ] && [ "${err#*Operation not permitted}" != "$err" ]; then
	skip "not allowed to talk to nfnetlink_cthelper (needs root): $err"
else
	not_ok "ctalg helper list: an answer this test knows" "status $rc" "$err"
fi

tap_done
