#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seeds of the decoder and configuration fuzz targets.

    fuzz/nlseed.py [--check] SRCDIR

Into fuzz/corpus/{ct,expect,cthelper,queue,config}/seed-*:
  ct, expect   the kernel messages recorded in tests/data (nlrecord dumps
               and events), one message per seed plus the start of each
               recording, and one message of every attribute the decoder
               reads;
  cthelper     kernel replies and requests shaped like those of
               tests/netlink/test_cthelper.c;
  queue        the packet messages of tests/netlink/test_queue_msg.c, and
               layer-3 packets of its vectors on their own (the target
               takes an input without a queue message as one);
  config       the configurations of tests/unit/test_config.c, of
               doc/ctalgd.conf.5's EXAMPLE and of doc/helpers/*.md's
               ```conf blocks.
Other files there (crash-*, what the fuzzer found) are left alone. With
--check, nothing is written: it fails when a seed would change.
"""
import os
import re
import struct
import sys

AF_INET, AF_INET6 = 2, 10
NLM_F_REQUEST, NLM_F_MULTI = 0x1, 0x2
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
NLA_F_NESTED = 0x8000
TCP, UDP, ICMP, SCTP, DCCP, ICMPV6 = 6, 17, 1, 132, 33, 58

# nfnetlink subsystems and messages
CT_NEW, CT_DELETE = 1 << 8 | 0, 1 << 8 | 2
EXP_NEW, EXP_DELETE = 2 << 8 | 0, 2 << 8 | 2
QUEUE_PACKET = 3 << 8 | 0
CTHELPER_NEW, CTHELPER_GET, CTHELPER_DEL = 9 << 8 | 0, 9 << 8 | 1, 9 << 8 | 2


def pad(b):
    return b + b"\0" * (-len(b) % 4)


def attr(t, payload, nested=False, padded=True):
    a = struct.pack("<HH", 4 + len(payload), t | (NLA_F_NESTED if nested else 0))
    return pad(a + payload) if padded else a + payload


def nest(t, *attrs):
    return attr(t, b"".join(attrs), nested=True)


def u8(t, v):
    return attr(t, bytes([v]))


def u16(t, v):
    return attr(t, struct.pack(">H", v))


def u32(t, v):
    return attr(t, struct.pack(">I", v))


def u64(t, v):
    return attr(t, struct.pack(">Q", v))


def strz(t, s):
    return attr(t, s.encode() + b"\0")


def msg(mtype, flags, family, body, seq=0, pid=0, res_id=0):
    payload = struct.pack("<BBH", family, 0, res_id) + body
    return struct.pack("<IHHII", 16 + len(payload), mtype, flags, seq, pid) + payload


def addr(family, text):
    import socket

    return socket.inet_pton(family, text)


def tuple_(t, family, src, dst, proto, sport=None, dport=None, icmp=None, zone=None):
    """A CTA_TUPLE_* nest: addresses, protocol and its identifiers."""
    v6 = family == AF_INET6
    ip = nest(1, attr(3 if v6 else 1, addr(family, src)),
              attr(4 if v6 else 2, addr(family, dst)))
    l4 = [u8(1, proto)]
    if sport is not None:
        l4 += [u16(2, sport), u16(3, dport)]
    if icmp is not None:
        base = 7 if proto == ICMPV6 else 4
        l4 += [u16(base, icmp[2]), u8(base + 1, icmp[0]), u8(base + 2, icmp[1])]
    parts = [ip, nest(2, *l4)]
    if zone is not None:
        parts.append(u16(3, zone))
    return nest(t, *parts)


def split(data):
    """The messages of a recording, each with its padding removed."""
    out, off = [], 0
    while off + 16 <= len(data):
        (n,) = struct.unpack_from("<I", data, off)
        if n < 16 or off + n > len(data):
            break
        out.append(data[off:off + n])
        off += (n + 3) & ~3
    return out


def recorded(src, names, prefix):
    seeds = {}
    for name in names:
        data = open(os.path.join(src, "tests", "data", name), "rb").read()
        tag = re.sub(r"[^a-z0-9]+", "-", os.path.splitext(name)[0].lower())
        for i, m in enumerate(split(data)):
            seeds["seed-%s-%03d" % (tag, i + 1)] = m
        # A datagram of several: the first few messages, back to back.
        seeds["seed-%s-first3" % tag] = b"".join(pad(m) for m in split(data)[:3])
    return seeds


def ct_seeds(src):
    seeds = recorded(src, ["ct-dump.bin", "ct-events.bin"], "ct")
    # Every attribute ctalg_ct_parse() reads, in one entry each family.
    for family, a, b in ((AF_INET, "192.0.2.1", "198.51.100.2"),
                         (AF_INET6, "2001:db8::1", "2001:db8::2")):
        body = b"".join([
            tuple_(1, family, a, b, SCTP, 5000, 6000, zone=3),
            tuple_(2, family, b, a, SCTP, 6000, 5000, zone=4),
            tuple_(14, family, a, b, TCP, 40000, 21),
            u32(3, 0x18e), u32(7, 120), u32(8, 7), u32(17, 9), u32(11, 1),
            u32(12, 0x12345678), u16(18, 5),
            nest(4, nest(3, u8(1, 4), u32(2, 0xdeadbeef), u32(3, 0xcafe)),
                 nest(2, u8(1, 4), u8(2, 1), u64(3, 12345)),
                 nest(1, u8(1, 3), u8(2, 7), u8(3, 7), attr(4, b"\x1b\x1b"),
                      attr(5, b"\x13\x13"))),
            nest(9, u64(1, 10), u64(2, 1500)),
            nest(10, u32(3, 8), u32(4, 900)),
            nest(20, u64(1, 1700000000 * 10**9), u64(2, 1700000090 * 10**9)),
            nest(5, strz(1, "ftp"), attr(2, bytes(range(32)))),
            nest(19, strz(1, "system_u:object_r:unlabeled_t:s0")),
            attr(22, bytes([0x0b, 0, 0, 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80])),
        ])
        tag = "v4" if family == AF_INET else "v6"
        seeds["seed-every-attr-" + tag] = msg(CT_DELETE, 0, family, body, pid=4242)
    icmp = tuple_(1, AF_INET, "192.0.2.1", "192.0.2.2", ICMP, icmp=(8, 0, 77))
    seeds["seed-icmp"] = msg(CT_NEW, NLM_F_CREATE | NLM_F_EXCL, AF_INET, icmp)
    return seeds


def exp_seeds(src):
    seeds = recorded(src, ["exp_dump_ipv4.nl", "exp_dump_ipv6.nl",
                           "exp_events.nl"], "exp")
    for family, a, b in ((AF_INET, "192.0.2.1", "198.51.100.2"),
                         (AF_INET6, "2001:db8::1", "2001:db8::2")):
        ones = "255.255.255.255" if family == AF_INET else "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        body = b"".join([
            tuple_(1, family, a, b, TCP, 40000, 21),
            tuple_(2, family, b, a, TCP, 0, 50000, zone=2),
            tuple_(3, family, ones, ones, TCP, 0xffff, 0xffff),
            u32(4, 300), u32(5, 0xabcdef), strz(6, "ftp"), u16(7, 2),
            u32(8, 0x7), u32(9, 0),
            nest(10, u32(1, 1), tuple_(2, family, a, b, TCP, 1024, 0)),
            strz(11, "nat-follow-master"),
        ])
        tag = "v4" if family == AF_INET else "v6"
        seeds["seed-every-attr-" + tag] = msg(EXP_NEW, NLM_F_CREATE, family, body)
    icmp = tuple_(2, AF_INET6, "2001:db8::1", "2001:db8::2", ICMPV6, icmp=(128, 0, 9))
    seeds["seed-icmpv6"] = msg(EXP_DELETE, 0, AF_INET6, icmp)
    return seeds


HELPERS = [  # as tests/netlink/test_cthelper.c's vectors
    ("ftp", AF_INET, TCP, 0, 20, 1, [("ftp", 1, 300)]),
    ("tftp", AF_INET6, UDP, 7, 0, 0, [("tftp", 1, 5)]),
    ("rpc", AF_INET6, TCP, 1, 12, 1, [("rpc", 32, 300), ("portmap", 0, 60)]),
    ("amanda", AF_INET, UDP, 300, 32, 0,
     [("data", 3, 180), ("mesg", 3, 180), ("index", 3, 180)]),
    ("sip-abcdefghijk", AF_INET, UDP, 65535, 31, 1,
     [("signalling", 255, 3600), ("audio", 2, 2147483), ("video", 2, 180),
      ("image-123456789", 0, 0)]),
]


def cthelper_attrs(name, family, proto, queue, priv, status, policies):
    """As nfnl_cthelper_fill_info() writes a helper."""
    sets = [u32(1, len(policies))]
    for i, (cname, maxe, timeout) in enumerate(policies):
        sets.append(nest(2 + i, strz(1, cname), u32(2, maxe), u32(3, timeout)))
    return b"".join([strz(1, name), u32(3, queue),
                     nest(2, u16(1, family), u8(2, proto)), nest(4, *sets),
                     u32(5, priv), u32(6, status)])


def cthelper_seeds(src):
    seeds = {}
    replies = []
    for h in HELPERS:
        m = msg(CTHELPER_NEW, NLM_F_MULTI, 0, cthelper_attrs(*h), seq=1234, pid=5678)
        seeds["seed-reply-" + h[0]] = m
        replies.append(pad(m))
    seeds["seed-dump"] = b"".join(replies) + struct.pack("<IHHIIi", 20, 3, NLM_F_MULTI, 1234, 5678, 0)
    # Requests: what ctalg_cthelper_build_new(), _get() and _del() write.
    seeds["seed-request-new"] = msg(CTHELPER_NEW, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL, 0,
                                    cthelper_attrs(*HELPERS[2]))
    seeds["seed-request-status"] = msg(CTHELPER_NEW, NLM_F_REQUEST | NLM_F_CREATE, 0, b"".join(
        [strz(1, "ftp"), nest(2, u16(1, AF_INET), u8(2, TCP)), u32(6, 1)]))
    seeds["seed-request-get"] = msg(CTHELPER_GET, NLM_F_REQUEST, 0, b"".join(
        [strz(1, "tftp"), nest(2, u16(1, AF_INET6), u8(2, UDP))]))
    seeds["seed-request-del"] = msg(CTHELPER_DEL, NLM_F_REQUEST, 0, b"")
    return seeds


# An IPv4 TCP packet 192.0.2.1:40000 -> 198.51.100.2:21 with 15 bytes of
# data, as test_queue_msg.c's tcp4.
TCP4 = bytes.fromhex(
    "45000037" "12344000" "40060000" "c0000201" "c6336402"  # IPv4
    "9c400015" "00001000" "00002000" "5018ffff" "00000000"  # TCP
) + b"PASV\r\nNOOP\r\n!!!"


def IP6(plen, nh):  # test_queue_msg.c's IP6(): 40 bytes, 2001:db8::1 -> ::2
    return ("60000000" + plen + nh + "40" + "20010db8000000000000000000000001"
            "20010db8000000000000000000000002")


def UDP8(ulen):  # port 5000 -> 5001, the length's last three hex digits
    return "138813890" + ulen + "0000"


V4 = "00000000401100000a0000010a000002"  # id, flags, TTL, UDP, 10.0.0.1 -> .2
RAW = {  # layer-3 packets of test_queue_msg.c's vectors
    "v4-udp": "4500001e" + V4 + UDP8("00a") + "abcd",
    "v4-udp-cut": "45000040" + V4 + UDP8("02c") + "abcd",
    "v4-options": "46000020" + V4 + "01010101" + UDP8("008"),
    "v4-first-fragment": "4500001c00002000401100000a0000010a000002" + UDP8("010"),
    "v4-tcp-options": "4500003000000000400600000a0000010a000002"
                      "0001000200000001000000026012000000000000" "01010101" "61626364",
    "v4-icmp": "4500001c00000000400100000a0000010a0000020800000000000000",
    "v6-udp": IP6("0008", "11") + UDP8("008"),
    "v6-chain": IP6("0028", "00") + "2b00010400000000" "3c00000000000000"
                "2c00000000000000" "1100000100000001" + UDP8("008"),
    "v6-ah": IP6("0014", "33") + "110100000000000000000000" + UDP8("008"),
    "v6-later-fragment": IP6("0010", "2c") + "1100000800000001" + UDP8("008"),
    "v6-routing-left": IP6("0018", "2b") + "1100000100000000" + UDP8("010") + "6162636465666768",
    "v6-tcp": IP6("0018", "06") + "00010002000000010000000250120000" "00000000" "61626364",
}


def packet(family, pid, hw, hook, attrs, payload=None):
    body = attr(1, struct.pack(">IHB", pid, hw, hook)) + b"".join(attrs)
    if payload is not None:
        body += attr(10, payload, padded=False)  # last and unpadded, as the kernel
    return msg(QUEUE_PACKET, 0, family, body, res_id=0x0700)


def queue_seeds(src):
    seeds = {}
    ct = nest(11, tuple_(1, AF_INET, "192.0.2.1", "198.51.100.2", TCP, 40000, 21),
              tuple_(2, AF_INET, "198.51.100.2", "192.0.2.1", TCP, 21, 40000),
              u32(12, 1234), u32(3, 0x18e), u32(7, 300),
              nest(5, strz(1, "ftp"), attr(2, bytes([9, 8, 7, 6, 5, 4, 3, 2]))),
              tuple_(14, AF_INET, "192.0.2.1", "198.51.100.2", TCP, 40000, 21),
              u32(8, 0x77), u16(18, 3))
    full = packet(AF_INET, 0x11223344, 0x0800, 4,
                  [u32(5, 3), u32(6, 4), u32(3, 0x42), ct, u32(12, 4), u32(200, 0)], TCP4)
    seeds["seed-full"] = full
    seeds["seed-cut"] = packet(AF_INET, 5, 0x0800, 1, [u32(13, 1500)], TCP4[:44])
    seeds["seed-meta"] = packet(AF_INET6, 6, 0x86dd, 3, [])
    v6 = bytes.fromhex(RAW["v6-chain"])
    ct6 = nest(11, tuple_(1, AF_INET6, "2001:db8::1", "2001:db8::2", UDP, 5000, 5001),
               tuple_(2, AF_INET6, "2001:db8::2", "2001:db8::1", UDP, 5001, 5000),
               nest(5, strz(1, "tftp")))
    seeds["seed-v6"] = packet(AF_INET6, 7, 0x86dd, 0, [ct6, u32(12, 2), u32(14, 1)], v6)
    seeds["seed-two"] = pad(seeds["seed-cut"]) + full
    for name, hexa in RAW.items():
        seeds["seed-raw-" + name] = bytes.fromhex(hexa)
    return seeds


def config_seeds(src):
    seeds = {}
    test = open(os.path.join(src, "tests", "unit", "test_config.c")).read()
    # Each run of adjacent C string literals, joined as the compiler does;
    # the configurations are those with a brace, the rest are messages.
    n = 0
    for run in re.finditer(r'(?:"(?:[^"\\\n]|\\.)*"\s*)+', test):
        text = "".join(re.findall(r'"((?:[^"\\\n]|\\.)*)"', run.group(0)))
        if ("{" not in text and "}" not in text) or text.startswith("t.conf:"):
            continue
        n += 1
        data = text.encode().decode("unicode_escape").encode("latin-1")
        seeds["seed-test-%02d" % n] = data
    man = open(os.path.join(src, "doc", "ctalgd.conf.5")).read()
    ex = man.split(".SH EXAMPLE\n.EX\n", 1)[1].split(".EE", 1)[0]
    seeds["seed-man-example"] = ex.encode()
    helpers = os.path.join(src, "doc", "helpers")
    for doc in sorted(os.listdir(helpers)):
        if not doc.endswith(".md"):
            continue
        blocks = re.findall(r"^```conf\n(.*?)^```", open(os.path.join(helpers, doc)).read(),
                            re.S | re.M)
        for i, b in enumerate(blocks):
            seeds["seed-doc-%s-%d" % (doc[:-3], i + 1)] = b.encode()
    return seeds


def main():
    args = sys.argv[1:]
    check = args[:1] == ["--check"]
    if check:
        args = args[1:]
    if len(args) != 1:
        sys.exit("usage: nlseed.py [--check] SRCDIR")
    src = args[0]
    stale = 0
    for target, make in (("ct", ct_seeds), ("expect", exp_seeds),
                         ("cthelper", cthelper_seeds), ("queue", queue_seeds),
                         ("config", config_seeds)):
        out = os.path.join(src, "fuzz", "corpus", target)
        seeds = make(src)
        if not check:
            os.makedirs(out, exist_ok=True)
            for old in os.listdir(out):
                if old.startswith("seed-") and old not in seeds:
                    os.unlink(os.path.join(out, old))
        for name, data in sorted(seeds.items()):
            path = os.path.join(out, name)
            if check:
                try:
                    same = open(path, "rb").read() == data
                except OSError:
                    same = False
                if not same:
                    print("stale: %s" % path)
                    stale += 1
                continue
            with open(path, "wb") as f:
                f.write(data)
        if not check:
            print("%s: %d seeds" % (target, len(seeds)))
    sys.exit(1 if stale else 0)


if __name__ == "__main__":
    main()
