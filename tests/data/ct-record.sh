#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Record the golden conntrack data of tests/unit/test_ct_golden.c: raw
# ctnetlink messages (nlrecord) together with what conntrack(8) prints for
# the same kernel state. Run as root from the repository root after a build:
#
#   sh tests/data/ct-record.sh
#
# In a fresh network namespace with conntrack, accounting and timestamps on,
# it makes TCP (with the ftp helper), UDP (marks, zones, labels), UDP-Lite,
# ICMP, SCTP, GRE and unknown-protocol entries over IPv4 and IPv6 loopback,
# while nlrecord and two conntrack -E record the events. Then it dumps the
# table with nlrecord before and after conntrack -L, and again until the two
# dumps are identical and the second did not tick, so timeouts agree.
# Labels are named by a private /etc/xtables/connlabel.conf (an overlay in a
# mount namespace of its own; the host's /etc is untouched).
set -eu
cd "$(dirname "$0")/../.."
D=$PWD/tests/data
NLRECORD=${NLRECORD:-$PWD/build/tests/nlrecord}
NS=ctalg-record-$$
T=$(mktemp -d)
trap 'ip netns pids $NS 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del $NS 2>/dev/null; rm -rf $T' EXIT

ip netns add $NS
ip -n $NS link set lo up
ip netns exec $NS sysctl -qw net.netfilter.nf_conntrack_events=1 \
	net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
mkdir -p $T/u $T/w

ip netns exec $NS unshare -m sh -eu -s "$D" "$NLRECORD" "$T" <<'INNER'
D=$1 NLRECORD=$2 T=$3
export TZ=UTC
mount -t overlay overlay -o lowerdir=/etc,upperdir=$T/u,workdir=$T/w /etc
mkdir -p /etc/xtables
# The rules may name one label more than the test's file: a set bit
# without a name prints as "labels" alone.
{ cat "$D/ct-labels.conf"; echo "3 unnamed"; } >/etc/xtables/connlabel.conf

# Track everything; ftp helper, zones, marks and labels on some ports.
nft -f - <<'NFT'
table inet ctalg_track {
	chain out { type filter hook output priority 0; ct state new counter; }
	chain in { type filter hook input priority 0; ct state new counter; }
}
NFT
for ipt in iptables ip6tables; do
	$ipt -t raw -A OUTPUT -p tcp --dport 21 -j CT --helper ftp
	$ipt -t raw -A OUTPUT -p udp --dport 5002 -j CT --zone 7
	$ipt -t raw -A OUTPUT -p udp --dport 5003 -j CT --zone-orig 9
	$ipt -t mangle -A OUTPUT -p udp --dport 5001 -j CONNMARK --set-mark 42
	$ipt -t mangle -A OUTPUT -p udp --dport 5004 -m connlabel --label five --set
	$ipt -t mangle -A OUTPUT -p udp --dport 5004 -m connlabel --label hundred --set
	$ipt -t mangle -A OUTPUT -p udp --dport 5005 -m connlabel --label unnamed --set
done
# The rules hold label bits, not names: from now on the test's own file.
cp "$D/ct-labels.conf" /etc/xtables/connlabel.conf

# Event recorders, all listening before the first packet.
"$NLRECORD" events 1,2,3 1000000 3000 $T/events.bin >$T/nlrecord.out 2>$T/nlrecord.err &
R=$!
conntrack -E >$T/events.txt 2>/dev/null &
E1=$!
conntrack -E -o extended,id,ktimestamp >$T/events-ext.txt 2>/dev/null &
E2=$!
while ! grep -q listening $T/nlrecord.out; do sleep 0.05; done
sleep 0.5

# TCP: one connection left open (ESTABLISHED), one closed (TIME_WAIT), and
# one to port 21 with the ftp helper, over IPv4 and IPv6.
for a in 127.0.0.1 ::1; do
	case $a in
	*:*) l=TCP6-LISTEN o=,ipv6only=1 c="TCP6:[$a]" ;;
	*) l=TCP4-LISTEN o= c="TCP4:$a" ;;
	esac
	socat $l:8000,reuseaddr,fork$o SYSTEM:'cat >/dev/null' &
	socat $l:8001,reuseaddr$o SYSTEM:'echo bye' &
	socat $l:21,reuseaddr,fork$o SYSTEM:'echo 220 ready; sleep 60' &
	sleep 0.3
	sleep 60 | socat - $c:8000 &
	clients="${clients:-} $!"
	socat -u $c:8001 - >/dev/null
	sleep 60 | socat - $c:21 >/dev/null &
	clients="$clients $!"
done
# UDP: unreplied, marked, zoned (global and original only), labelled,
# and one with a reply; UDP-Lite; ping; SCTP, GRE and unknown protocols.
for a in 127.0.0.1 ::1; do
	case $a in *:*) u="UDP6:[$a]" ;; *) u="UDP4:$a" ;; esac
	for p in 5000 5001 5002 5003 5004 5005; do
		echo x | socat -u - $u:$p
	done
	ping -q -c 1 -W 1 $a >/dev/null
done
socat UDP4-RECVFROM:5010,fork SYSTEM:'echo pong' &
sleep 0.2
echo ping | socat -t 0.5 - UDP4:127.0.0.1:5010 >/dev/null
python3 - <<'PY'
import socket, struct

def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff

def raw(family, proto, payload, dst):
    s = socket.socket(family, socket.SOCK_RAW, proto)
    s.sendto(payload, (dst, 0))
    s.close()

for fam, dst in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')):
    # SCTP INIT: common header (tag 0), INIT chunk with a non-zero tag.
    chunk = struct.pack('!BBHIIHHI', 1, 0, 20, 0x11223344, 65535, 1, 1, 7)
    hdr = struct.pack('!HHII', 9000, 9001, 0, 0)
    pkt = hdr + chunk
    pkt = pkt[:8] + struct.pack('<I', crc32c(pkt)) + pkt[12:]
    raw(fam, 132, pkt, dst)
    raw(fam, 47, struct.pack('!HH', 0, 0x0800) + b'\x45' + b'\0' * 19, dst)
    raw(fam, 253, b'experiment', dst)
    raw(fam, 33, b'\0' * 16, dst)
    u = socket.socket(fam, socket.SOCK_DGRAM, 136)
    u.sendto(b'lite', (dst, 5020))
    u.close()
PY
sleep 1

# Two recorded dumps hold the same entries: equal but for the sequence
# number and port id in each netlink header.
same_dump() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
def norm(path):
    data, out, off = open(path, 'rb').read(), b'', 0
    while off < len(data):
        n = struct.unpack_from('=I', data, off)[0]
        out += data[off:off + 8] + bytes(8) + data[off + 16:off + n]
        off += n
    return out
sys.exit(norm(sys.argv[1]) != norm(sys.argv[2]))
PY
}

# The dump, until two nlrecord dumps around conntrack -L agree and the
# clock did not tick during conntrack -L (delta-time uses the time).
n=0
while :; do
	n=$((n + 1))
	[ $n -le 20 ] || { echo "no stable dump" >&2; exit 1; }
	"$NLRECORD" dump 1 1 0 $T/dump1.bin 2>/dev/null
	t1=$(date +%s)
	conntrack -L >$T/dump.txt 2>/dev/null
	conntrack -L -o extended,id,ktimestamp >$T/dump-ext.txt 2>/dev/null
	conntrack -L -o labels >$T/dump-labels.txt 2>/dev/null
	t2=$(date +%s)
	"$NLRECORD" dump 1 1 0 $T/dump2.bin 2>/dev/null
	[ "$t1" = "$t2" ] && same_dump $T/dump1.bin $T/dump2.bin && break
	sleep 0.3
done
echo "$t1" >$T/dump.now

# Destroy events: one entry deleted by a process, then the rest flushed.
conntrack -D -p udplite >/dev/null 2>&1
# Closing the open connections updates them.
kill $clients
sleep 0.5
conntrack -F 2>/dev/null
# nlrecord stops 3 s after the last event; then stop conntrack -E.
wait $R
kill -INT $E1 $E2
sleep 0.3
cat $T/nlrecord.err >&2
cp $T/dump1.bin "$D/ct-dump.bin"
cp $T/dump.txt "$D/ct-dump.txt"
cp $T/dump-ext.txt "$D/ct-dump-ext.txt"
cp $T/dump-labels.txt "$D/ct-dump-labels.txt"
cp $T/dump.now "$D/ct-dump.now"
cp $T/events.bin "$D/ct-events.bin"
cp $T/events.txt "$D/ct-events.txt"
cp $T/events-ext.txt "$D/ct-events-ext.txt"
INNER
wc -l "$D"/ct-*.txt
