# SPDX-License-Identifier: GPL-2.0-or-later
# ctalg helper side by side with nfct helper on a distribution kernel that
# has nfnetlink_cthelper: registrations, updates, refusals and their hints,
# and the clash with the kernel's own ftp helper, loaded only at the end.
# Touches the guest's global helper table freely; no network needed.
# vm-packages: conntrackd nfct
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_ftp.so
# vm-files: /usr/lib/x86_64-linux-gnu/conntrack-tools/ct_helper_tftp.so
# vm-modules-later: nf_conntrack_ftp
CTALG=${CTALG:-ctalg}

# same DESCRIPTION: ctalg's and nfct's outputs of the command that follows
# "--" must be byte-identical (both with a status of 0).
same() {
	_d=$1
	shift 2
	_n=$(nfct "$@" 2>&1)
	_nrc=$?
	_c=$(timeout 10 "$CTALG" "$@" 2>&1)
	_crc=$?
	if [ "$_nrc" -eq 0 ] && [ "$_crc" -eq 0 ] && [ "$_n" = "$_c" ]; then
		ok "$_d"
	else
		not_ok "$_d" "nfct (status $_nrc):" "$_n" \
			"ctalg (status $_crc):" "$_c"
	fi
}

# st WANT DESCRIPTION ARGS...: ctalg ARGS exits with WANT.
st() {
	_w=$1
	_d=$2
	shift 2
	_o=$(timeout 10 "$CTALG" "$@" 2>&1)
	_r=$?
	if [ "$_r" -eq "$_w" ]; then ok "$_d"; else not_ok "$_d" "status $_r" "$_o"; fi
}

nfct helper flush >/dev/null 2>&1

st 0 "empty list" helper list
nfct helper add ftp inet tcp || not_ok "nfct helper add ftp inet tcp"
nfct helper add tftp inet6 udp || not_ok "nfct helper add tftp inet6 udp"
same "list of nfct's helpers" -- helper list
same "get ftp" -- helper get ftp
same "get tftp inet6 udp" -- helper get tftp inet6 udp

st 0 "add myftp inet tcp, enabled, queue 5" helper add myftp inet tcp \
	priv-len 20 policy ftp max 1 timeout 300 status enabled queue 5
st 0 "add myftp inet6 udp, 4 policies" helper add myftp inet6 udp \
	priv-len 0 policy a max 2 timeout 30 policy b max 3 timeout 40 \
	policy c max 4 timeout 50 policy d max 5 timeout 60
st 0 "add myftp inet6 tcp, queue 65535, priv-len 32" helper add myftp \
	inet6 tcp priv-len 32 policy a max 2 timeout 30 queue 65535
same "list of five helpers" -- helper list
same "get myftp" -- helper get myftp
same "get myftp inet6 udp" -- helper get myftp inet6 udp

# An update carries the whole description; what cannot change is EBUSY.
out=$(timeout 10 "$CTALG" helper add myftp inet tcp priv-len 12 \
	policy ftp max 1 timeout 300 2>&1)
check_eq "another priv-len: EBUSY, with the hint" "$out" \
	'ctalg: cannot add helper "myftp" (inet tcp): Device or resource busy
ctalg: hint: "myftp" is registered for inet tcp with another priv-len or other policies: delete it first'
st 1 "another class name: refused" helper add myftp inet tcp priv-len 20 \
	policy other max 1 timeout 300
st 1 "another class count: refused" helper add myftp inet tcp priv-len 20 \
	policy ftp max 1 timeout 300 policy x max 1 timeout 1
# Kernels before the per-class update fix copy class 1's values into all.
timeout 10 "$CTALG" helper add myftp inet6 udp priv-len 0 \
	policy a max 6 timeout 31 policy b max 7 timeout 41 \
	policy c max 8 timeout 51 policy d max 9 timeout 61
diag "policies after an update: $(timeout 10 "$CTALG" -o json helper get myftp inet6 udp)"

out=$(timeout 10 "$CTALG" helper disable nosuch inet tcp 2>&1)
check_eq "disable an unknown helper: EINVAL, with the hint" "$out" \
	'ctalg: cannot disable helper "nosuch" (inet tcp): Invalid argument
ctalg: hint: no helper "nosuch" is registered for inet tcp'
st 0 "disable myftp inet tcp" helper disable myftp inet tcp
same "list after disable" -- helper list
st 0 "delete myftp inet6 (both protocols)" helper delete myftp inet6
st 1 "get myftp inet6 tcp: gone" helper get myftp inet6 tcp
st 0 "get myftp inet tcp: still there" helper get myftp inet tcp
same "list after delete" -- helper list

# A clash with the kernel's own ftp helper.
st 0 "delete ftp" helper delete ftp
if load_module nf_conntrack_ftp; then
	out=$(timeout 10 "$CTALG" helper add ftp inet tcp priv-len 20 \
		policy ftp max 1 timeout 300 2>&1)
	check_eq "ftp with nf_conntrack_ftp loaded: EBUSY, with the hint" \
		"$out" \
		'ctalg: cannot add helper "ftp" (inet tcp): Device or resource busy
ctalg: hint: the kernel has a helper "ftp" for tcp already, probably its own: unload nf_conntrack_ftp or choose another name'
else
	skip "nf_conntrack_ftp cannot be loaded"
fi

st 0 "flush" helper flush
same "empty list after flush" -- helper list
