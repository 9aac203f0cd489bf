#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ctalg conntrack against conntrack(8) on this kernel, in fresh namespaces:
# real traffic over loopback (TCP with socat, one connection with the
# kernel's ftp helper, UDP with a mark and a zone, ICMP, IPv4 and IPv6),
# accounting and timestamps on. Then, line for line:
#   ctalg conntrack watch [filters]  vs  conntrack -E [filters]
#   ctalg conntrack list [filters]   vs  conntrack -L [filters]
#   ctalg conntrack get ...          vs  conntrack -G ...
# -o json checked with python3 field by field, against the known traffic
# and against conntrack's own lines; labels named by a connlabel.conf in a
# private mount namespace.
set -u
. "$SRCDIR/tests/lib/tap.sh"
. "$SRCDIR/tests/lib/netns.sh"

netns_require conntrack socat nft iptables ip6tables python3 ping
NS=$(netns_new ct) || skip_all "cannot create a namespace"
netns_conntrack "$NS"
in_ns "$NS" sysctl -qw net.netfilter.nf_conntrack_acct=1 \
	net.netfilter.nf_conntrack_timestamp=1
T=$(mktemp -d)
trap 'netns_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
CHECK="python3 $SRCDIR/tests/unit/ct_json_check.py"
export TZ=UTC

for ipt in iptables ip6tables; do
	in_ns "$NS" $ipt -t raw -A OUTPUT -p tcp --dport 21 -j CT --helper ftp
	in_ns "$NS" $ipt -t raw -A OUTPUT -p udp --dport 5002 -j CT --zone 7
	in_ns "$NS" $ipt -t mangle -A OUTPUT -p udp --dport 5001 \
		-j CONNMARK --set-mark 42
done

# Event listeners in NS: netfilter netlink sockets in a conntrack group.
listeners() {
	in_ns "$NS" awk '$2 == 12 && $4 != "00000000" { n++ } END { print n + 0 }' \
		/proc/net/netlink
}
all_listening() { [ "$(listeners)" -ge 15 ]; }
established() {
	[ "$(in_ns "$NS" conntrack -L -p tcp 2>/dev/null | grep -c ESTABLISHED)" -ge 4 ]
}

# ---- watchers, all subscribed before the first packet ----

# ip netns exec becomes the command: $! is the watcher's own PID (not so
# with the in_ns function, which would leave a subshell in between).
watchers=
watch_pair() { # NAME 'CTALG ARGS' 'CONNTRACK ARGS'
	ip netns exec "$NS" "$CTALG" conntrack watch $2 >"$T/$1.ctalg" \
		2>"$T/$1.ctalg.err" &
	watchers="$watchers $!"
	ip netns exec "$NS" conntrack -E $3 >"$T/$1.ct" 2>/dev/null &
	watchers="$watchers $!"
}
watch_pair all '' ''
watch_pair v6 'family ipv6' '-f ipv6'
watch_pair tcp 'proto tcp' '-p tcp'
watch_pair newdel 'event new,destroy' '-e NEW,DESTROY'
watch_pair ext 'format extended,id,ktimestamp' '-o extended,id,ktimestamp'
watch_pair stamp 'format timestamp' '-o timestamp'
ip netns exec "$NS" "$CTALG" conntrack watch helper ftp >"$T/ftp.ctalg" 2>&1 &
watchers="$watchers $!"
ip netns exec "$NS" "$CTALG" conntrack watch -o json >"$T/json.ctalg" 2>&1 &
watchers="$watchers $!"
ip netns exec "$NS" "$CTALG" -o json conntrack watch family inet6 format id \
	>"$T/json6.ctalg" 2>&1 &
watchers="$watchers $!"
if wait_for 10 all_listening; then
	ok "15 event listeners subscribed"
else
	not_ok "15 event listeners subscribed" "$(listeners) listening"
fi

# ---- traffic ----

for a in 127.0.0.1 ::1; do
	case $a in
	*:*) l=TCP6-LISTEN o=,ipv6only=1 c="TCP6:[$a]" u="UDP6:[$a]" ;;
	*) l=TCP4-LISTEN o= c="TCP4:$a" u="UDP4:$a" ;;
	esac
	in_ns "$NS" socat $l:8000,reuseaddr,fork$o SYSTEM:'cat >/dev/null' &
	in_ns "$NS" socat $l:21,reuseaddr,fork$o \
		SYSTEM:'echo 220 ready; exec sleep 30' &
	in_ns "$NS" socat $l:8001,reuseaddr$o SYSTEM:'echo bye' &
	wait_port "$NS" tcp 8000
	wait_port "$NS" tcp 21
	wait_port "$NS" tcp 8001
	# The clients wait inside NS, so the namespace's cleanup ends them;
	# exec, so no process starts after the cleanup listed them.
	in_ns "$NS" socat $c:8000 SYSTEM:'exec sleep 30' &
	in_ns "$NS" socat $c:21 SYSTEM:'exec cat >/dev/null' &
	in_ns "$NS" socat -u $c:8001 - >/dev/null
	for p in 5000 5001 5002; do
		echo x | in_ns "$NS" socat -u - $u:$p
	done
	in_ns "$NS" ping -q -c 1 -W 1 $a >/dev/null
done
# Every long-lived connection is ESTABLISHED before anything is compared.
wait_for 5 established || diag "not all connections are established"
sleep 0.5

# ---- list, filters, get ----

# same_output, tried up to three times: timeouts of entries made at
# different moments can each tick between the runs.
same() {
	for _try in 1 2 3; do
		_a1=$(eval "$2" 2>&1)
		_b=$(eval "$3" 2>&1)
		_a2=$(eval "$2" 2>&1)
		if [ "$_a1" = "$_b" ] || [ "$_a2" = "$_b" ]; then
			ok "$1"
			return
		fi
	done
	same_output "$@"
}

L() { echo "ip netns exec $NS $CTALG conntrack $*"; }
C() { echo "ip netns exec $NS conntrack $* 2>/dev/null"; }

# Per family: TCP to 8000, 21 and 8001, UDP to 5000-5002, one ping.
check_eq "the traffic made 14 entries" \
	"$(in_ns "$NS" conntrack -L 2>/dev/null | wc -l)" 14
same "list = conntrack -L" "$(L list)" "$(C -L)"
same "list family ipv6 = conntrack -L -f ipv6" "$(L list family ipv6)" "$(C -L -f ipv6)"
same "list family inet = conntrack -L -f ipv4" "$(L list family inet)" "$(C -L -f ipv4)"
same "list proto tcp = conntrack -L -p tcp" "$(L list proto tcp)" "$(C -L -p tcp)"
same "list proto udp = conntrack -L -p udp" "$(L list proto udp)" "$(C -L -p udp)"
same "list proto icmpv6 = conntrack -L -p icmpv6" "$(L list proto icmpv6)" "$(C -L -p icmpv6)"
same "list proto 17 family inet6 = conntrack -L -p 17 -f ipv6" \
	"$(L list proto 17 family inet6)" "$(C -L -p 17 -f ipv6)"
# conntrack(8) has no helper filter: its lines with helper=ftp.
same "list helper ftp = conntrack -L | grep helper=ftp" \
	"$(L list helper ftp)" "$(C -L) | grep ' helper=ftp '"
same "list format extended,id,ktimestamp = conntrack -L -o extended,id,ktimestamp" \
	"$(L list format extended,id,ktimestamp)" "$(C -L -o extended,id,ktimestamp)"
same "ctalg -o json conntrack list = ctalg conntrack list -o json" \
	"ip netns exec $NS $CTALG -o json conntrack list" "$(L list -o json)"
check_eq "list helper ftp shows both ftp connections" \
	"$(in_ns "$NS" "$CTALG" conntrack list helper ftp | wc -l)" 2
check_eq "list helper sip shows nothing, exit 0" \
	"$(in_ns "$NS" "$CTALG" conntrack list helper sip; echo "rc=$?")" "rc=0"

# The labels format without a label file: conntrack's lines, and a reason.
in_ns "$NS" "$CTALG" conntrack list format labels >"$T/nolabels" 2>"$T/nolabels.err"
same "list format labels without connlabel.conf = conntrack -L -o labels" \
	"$(L list format labels) 2>/dev/null" "$(C -L -o labels)"
check_eq "list format labels says why labels are not shown" "$(cat "$T/nolabels.err")" \
	"ctalg: /etc/xtables/connlabel.conf: No such file or directory; labels are not shown"

# get: the same entry conntrack -G prints.
sport=$(in_ns "$NS" "$CTALG" conntrack list proto tcp family inet |
	sed -n 's/.* sport=\([0-9]*\) dport=8000 .*/\1/p' | head -1)
same "get tcp = conntrack -G" \
	"$(L get proto tcp src 127.0.0.1 dst 127.0.0.1 sport "$sport" dport 8000)" \
	"$(C -G -p tcp -s 127.0.0.1 -d 127.0.0.1 --sport "$sport" --dport 8000)"
usport=$(in_ns "$NS" "$CTALG" conntrack list proto udp family inet6 |
	sed -n 's/.* sport=\([0-9]*\) dport=5002 .*/\1/p' | head -1)
# conntrack -G takes no zone: the entry is found in zone 7 only.
out=$(in_ns "$NS" "$CTALG" conntrack get proto udp src ::1 dst ::1 \
	sport "$usport" dport 5002 zone 7 format id)
case $out in
*" sport=$usport dport=5002 "*" zone=7 "*" id="*) ok "get udp zone 7 finds the entry" ;;
*) not_ok "get udp zone 7 finds the entry" "$out" ;;
esac
out=$(in_ns "$NS" "$CTALG" conntrack get proto udp src ::1 dst ::1 \
	sport "$usport" dport 5002 2>&1)
check_eq "get udp without its zone: exit 1, ENOENT" "$?:$out" \
	"1:ctalg: getting the conntrack entry: No such file or directory"
icmpid=$(in_ns "$NS" "$CTALG" conntrack list proto icmp |
	sed -n 's/.* type=8 code=0 id=\([0-9]*\) .*/\1/p' | head -1)
same "get icmp = conntrack -G" \
	"$(L get proto icmp src 127.0.0.1 dst 127.0.0.1 type 8 code 0 id "$icmpid")" \
	"$(C -G -p icmp -s 127.0.0.1 -d 127.0.0.1 --icmp-type 8 --icmp-code 0 --icmp-id "$icmpid")"
out=$(in_ns "$NS" "$CTALG" conntrack get proto tcp src 127.0.0.1 dst 127.0.0.1 \
	sport 1 dport 2 2>&1)
check_eq "get of a missing entry: exit 1, the kernel's ENOENT" "$?:$out" \
	"1:ctalg: getting the conntrack entry: No such file or directory"

# The man page's examples run: list and get (no such entry: exit 1 with
# the kernel's reason), watch until interrupted.
sed -n '/^\.SH CONNTRACK/,/^\.SH EXIT/p' "$SRCDIR/doc/ctalg.8" |
	sed -n '/^\.nf/,/^\.fi/p' | grep '^ctalg .*conntrack' >"$T/examples"
n=0
while read -r cmd; do
	n=$((n + 1))
	set -- $cmd
	shift
	case $cmd in
	*" watch "*)
		timeout --preserve-status -s INT 0.5 \
			ip netns exec "$NS" "$CTALG" "$@" >/dev/null 2>"$T/ex.err"
		rc=$? want=0 ;;
	*" get "*)
		ip netns exec "$NS" "$CTALG" "$@" >/dev/null 2>"$T/ex.err"
		rc=$? want=1 ;;
	*)
		ip netns exec "$NS" "$CTALG" "$@" >"$T/ex.out" 2>"$T/ex.err"
		rc=$? want=0
		[ -s "$T/ex.out" ] || rc="$rc (no output)" ;;
	esac
	check_eq "man page example: $cmd" "$rc" "$want"
done <"$T/examples"
[ "$n" -ge 4 ] || not_ok "the man page has conntrack examples" "$n found"

# ---- JSON ----

# Field by field against conntrack's own lines for the same state.
for try in 1 2 3; do
	in_ns "$NS" "$CTALG" conntrack list -o json >"$T/list.json"
	in_ns "$NS" conntrack -L -o extended,id,ktimestamp >"$T/list.txt" 2>/dev/null
	in_ns "$NS" "$CTALG" conntrack list -o json >"$T/list2.json"
	cmp -s "$T/list.json" "$T/list2.json" && break
done
$CHECK "$T/list.json" "$T/list.txt" "list -o json vs conntrack -L" >"$T/check.tap"
check "list -o json matches conntrack -L -o extended,id,ktimestamp field by field" \
	sh -c "! grep -v '^ok\|^1\.\.' $T/check.tap"

# And against the traffic this test made.
check "list -o json holds the known traffic" python3 - "$T/list.json" <<'PY'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
def find(**want):
    def match(e):
        for k, v in want.items():
            obj = e
            for part in k.split("__"):
                obj = obj.get(part, {}) if isinstance(obj, dict) else {}
            if obj != v:
                return False
        return True
    found = [e for e in entries if match(e)]
    assert len(found) == 1, "%r: %d entries" % (want, len(found))
    return found[0]
for fam, addr in (("ipv4", "127.0.0.1"), ("ipv6", "::1")):
    for port in (8000, 21):
        e = find(family=fam, protocol="tcp", original__dport=port)
        assert e["protonum"] == 6 and e["state"] == "ESTABLISHED", e
        assert e["original"]["src"] == e["original"]["dst"] == addr, e
        assert e["reply"]["sport"] == port, e
        assert e["reply"]["dport"] == e["original"]["sport"], e
        assert {"seen_reply", "assured", "confirmed"} <= set(e["status_flags"]), e
        assert e["counters"]["original"]["packets"] >= 2, e
        assert e["counters"]["reply"]["packets"] >= 1, e
        assert e["timestamp_start"] > 1.6e18, e
        assert e.get("helper") == ("ftp" if port == 21 else None), e
        assert 0 < e["timeout"] <= 432000 and e["use"] >= 1 and "id" in e, e
    e = find(family=fam, protocol="tcp", original__dport=8001)
    assert e["state"] == "TIME_WAIT", e
    e = find(family=fam, protocol="udp", original__dport=5001)
    assert e["mark"] == 42 and "seen_reply" not in e["status_flags"], e
    assert e["counters"]["original"] == {"packets": 1, "bytes": 30 if fam == "ipv4" else 50}, e
    assert e["counters"]["reply"] == {"packets": 0, "bytes": 0}, e
    e = find(family=fam, protocol="udp", original__dport=5002)
    assert e["zone"] == 7 and e["mark"] == 0, e
    e = find(family=fam, protocol="udp", original__dport=5000)
    assert "zone" not in e and e["mark"] == 0, e
    icmp = "icmp" if fam == "ipv4" else "icmpv6"
    e = find(family=fam, protocol=icmp)
    req, rep = (8, 0) if fam == "ipv4" else (128, 129)
    assert e["original"]["icmp_type"] == req and e["reply"]["icmp_type"] == rep, e
    assert e["original"]["icmp_id"] == e["reply"]["icmp_id"], e
    assert e["counters"]["reply"]["packets"] == 1, e
assert all("event" not in e for e in entries)
PY

# ---- labels, named by a private connlabel.conf ----

NS2=$(netns_new labels)
netns_conntrack "$NS2"
mkdir -p "$T/u" "$T/w"
in_ns "$NS2" unshare -m sh -s "$CTALG" "$T" <<'INNER' >"$T/labels.log" 2>&1
CTALG=$1 T=$2
mount -t overlay overlay -o lowerdir=/etc,upperdir=$T/u,workdir=$T/w /etc || exit 1
mkdir -p /etc/xtables
printf '# test\n1 one\n5 five\n100 hundred\n3 three\n' >/etc/xtables/connlabel.conf
iptables -t mangle -A OUTPUT -p udp --dport 6000 -m connlabel --label five --set
iptables -t mangle -A OUTPUT -p udp --dport 6000 -m connlabel --label hundred --set
iptables -t mangle -A OUTPUT -p udp --dport 6001 -m connlabel --label three --set
echo x | socat -u - UDP4:127.0.0.1:6000
echo x | socat -u - UDP4:127.0.0.1:6001
echo x | socat -u - UDP4:127.0.0.1:6002
# Bit 3 loses its name: conntrack prints "labels" alone then.
printf '# test\n1 one\n5 five\n100 hundred\n' >/etc/xtables/connlabel.conf
"$CTALG" conntrack list format labels >$T/labels.a1
conntrack -L -o labels >$T/labels.b 2>/dev/null
"$CTALG" conntrack list format labels >$T/labels.a2
"$CTALG" conntrack list -o json >$T/labels.json
: >/etc/xtables/connlabel.conf
"$CTALG" conntrack list format labels >$T/labels.empty 2>$T/labels.empty.err
INNER
if cmp -s "$T/labels.a1" "$T/labels.b" || cmp -s "$T/labels.a2" "$T/labels.b"; then
	ok "list format labels = conntrack -L -o labels"
else
	not_ok "list format labels = conntrack -L -o labels" "$(cat "$T/labels.log")" \
		"$(diff "$T/labels.b" "$T/labels.a2")"
fi
check_eq "the labelled entries show their names" \
	"$(grep -o 'dport=600[0-2] .*labels[=a-z,]*$' "$T/labels.b" | sed 's/ .* / /' | sort)" \
	"$(printf 'dport=6000 labels=five,hundred\ndport=6001 labels')"
check_eq "JSON lists the label bits" \
	"$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    print(e["original"]["dport"], e.get("labels"))' "$T/labels.json" | sort)" \
	"$(printf '6000 [5, 100]\n6001 [3]\n6002 None')"
check_eq "a label file without labels: no names, and the reason" \
	"$(grep -c labels "$T/labels.empty"):$(cat "$T/labels.empty.err")" \
	"0:ctalg: /etc/xtables/connlabel.conf: no valid label; labels are not shown"

# ---- events: a process deletes entries while holding its socket ----

in_ns "$NS" python3 - <<'PY'
import socket, struct, time
# IPCTNL_MSG_CT_DELETE without a tuple: a flush (of every family, the
# nfgenmsg being version 0), from a socket kept open so watchers can name
# this process.
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
s.bind((0, 0))
msg = struct.pack("=IHHII", 20, 1 << 8 | 2, 1 | 4, 1, 0) + struct.pack("=BBH", 2, 0, 0)
s.send(msg)
s.recv(4096)
time.sleep(2)
PY
sleep 0.5
kill -INT $watchers
wait $watchers 2>/dev/null

n=$(wc -l <"$T/all.ct")
[ "$n" -ge 40 ] && ok "conntrack -E saw $n events" || not_ok "conntrack -E saw events" "only $n"
grep -q 'progname=python3$' "$T/all.ct" &&
	ok "the flush events name the process" ||
	not_ok "the flush events name the process" "$(tail -3 "$T/all.ct")"
# Events of different connections made at the same moment on different
# CPUs can reach two sockets in different orders: the same lines, and for
# each connection the same lines in the same order.
same_events() { # DESCRIPTION FILE_CTALG FILE_CONNTRACK
	if _d=$(python3 - "$2" "$3" <<'PY'
import re, sys
def load(path):
    # The -o timestamp prefix is the time of reception: not compared.
    return [re.sub(r"^\[\d{10}\.\d{6}\]\t", "", l)
            for l in open(path).read().splitlines()]
def by_conn(lines):
    conns = {}
    for l in lines:
        key = re.search(r"src=\S+ dst=\S+( \S+=\S+){0,3}?(?= (packets|zone|\[|src))", l)
        conns.setdefault(key.group(0) if key else l, []).append(l)
    return conns
a, b = load(sys.argv[1]), load(sys.argv[2])
if sorted(a) != sorted(b) or by_conn(a) != by_conn(b) or not b:
    sys.stdout.writelines(x + "\n" for x in
        ["ctalg:"] + a + ["conntrack:"] + b)
    sys.exit(1)
PY
	); then
		ok "$1"
	else
		not_ok "$1" "$_d"
	fi
}
for w in all v6 tcp newdel ext; do
	same_events "watch $w = conntrack -E" "$T/$w.ctalg" "$T/$w.ct"
done
same_events "watch format timestamp = conntrack -E -o timestamp, but the times" \
	"$T/stamp.ctalg" "$T/stamp.ct"
check_eq "watch format timestamp: every line starts with [seconds.microseconds]" \
	"$(grep -vc '^\[[0-9]\{10\}\.[0-9]\{6\}\]	' "$T/stamp.ctalg")" 0
grep ' helper=ftp' "$T/all.ct" >"$T/ftp.ct"
same_events "watch helper ftp = conntrack -E | grep helper=ftp" \
	"$T/ftp.ctalg" "$T/ftp.ct"
$CHECK "$T/json.ctalg" "$T/ext.ct" "watch -o json vs conntrack -E" >"$T/wcheck.tap"
check "watch -o json matches conntrack -E -o extended,id,ktimestamp field by field" \
	sh -c "! grep -v '^ok\|^1\.\.' $T/wcheck.tap"
check "watch -o json: every kind of event, IPv6 only with family inet6" python3 - \
	"$T/json.ctalg" "$T/json6.ctalg" <<'PY'
import json, sys
all_ = [json.loads(l) for l in open(sys.argv[1])]
v6 = [json.loads(l) for l in open(sys.argv[2])]
assert {e["event"] for e in all_} == {"new", "update", "destroy"}
assert v6 and all(e["family"] == "ipv6" for e in v6)
assert len(v6) == sum(1 for e in all_ if e["family"] == "ipv6")
# The flush (nfgenmsg version 0: every family) names its socket.
flushed = [e for e in all_ if e.get("portid")]
assert len(flushed) == 14 and all(e["event"] == "destroy" for e in flushed)
assert all("timestamp_stop" in e for e in flushed)
PY
for w in all v6 tcp newdel ext stamp; do
	[ -s "$T/$w.ctalg.err" ] && diag "watch $w stderr: $(cat "$T/$w.ctalg.err")"
done

tap_done
