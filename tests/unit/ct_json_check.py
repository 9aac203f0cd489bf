#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check ctalg's conntrack JSON against conntrack(8)'s text, field by field.

    ct_json_check.py JSON_FILE TEXT_FILE [DESCRIPTION]

JSON_FILE has one object per line (ctalg ... -o json); TEXT_FILE has the
lines conntrack(8) printed for the same entries or events, with "-o
extended" and optionally "id" and "ktimestamp". Lines are paired by the
entry's id when the text shows it, else by position. Each JSON object must
hold exactly what its text line shows. Prints TAP: one check
per line pair, plus one for the counts.
"""
import datetime
import json
import re
import sys

TUPLE_KEYS = {"src": "src", "dst": "dst", "sport": "sport", "dport": "dport",
              "srckey": "srckey", "dstkey": "dstkey", "type": "icmp_type",
              "code": "icmp_code", "id": "icmp_id"}
PORTS = {"sport", "dport"}
L4KEYS = {"tcp": PORTS, "udp": PORTS, "udplite": PORTS, "sctp": PORTS,
          "dccp": PORTS, "gre": {"srckey", "dstkey"},
          "icmp": {"type", "code", "id"}, "icmpv6": {"type", "code", "id"}}
STATES = {"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
          "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
          "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "SHUTDOWN_SENT",
          "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT", "HEARTBEAT_SENT",
          "HEARTBEAT_ACKED", "REQUEST", "RESPOND", "PARTOPEN", "OPEN",
          "CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE", "INVALID"}


def parse_text(line):
    """A conntrack(8) line as a dict shaped like ctalg's JSON."""
    out = {}
    m = re.match(r"^\s*\[(NEW|UPDATE|DESTROY)\]\s+", line)
    if m:
        out["event"] = m.group(1).lower()
        line = line[m.end():]
    m = re.search(r" \[USERSPACE\] portid=(\d+)( progname=\S+)?$", line)
    if m:
        out["portid"] = int(m.group(1))
        line = line[:m.start()]
    starts = re.findall(r"\[(start|stop)=([^\]]*)\] ?", line)
    line = re.sub(r"\[(start|stop)=[^\]]*\] ?", "", line)
    for kind, when in starts:
        t = datetime.datetime.strptime(when, "%a %b %d %H:%M:%S %Y")
        out["ts_" + kind] = int(t.replace(
            tzinfo=datetime.timezone.utc).timestamp())
    words = line.split()
    out["family"] = words.pop(0)
    words.pop(0)
    out["protocol"] = words.pop(0)
    out["protonum"] = int(words.pop(0))
    if words and words[0].isdigit():
        out["timeout"] = int(words.pop(0))
    if words and words[0] in STATES:
        out["state"] = words.pop(0)
    tuples, cur, counters, cdir = [], None, {}, None
    l4keys = {"src", "dst"} | L4KEYS.get(out["protocol"], set())
    for w in words:
        if w.startswith("src="):
            cur = {}
            tuples.append(cur)
        if "=" in w:
            k, v = w.split("=", 1)
            # A tuple ends at the first other word, or at a key it has
            # already (the entry's id after an ICMP tuple's id).
            if k in l4keys and cur is not None and \
                    TUPLE_KEYS[k] not in cur:
                key = TUPLE_KEYS[k]
                if k in ("srckey", "dstkey"):
                    cur[key] = int(v, 16)
                elif k in ("src", "dst"):
                    cur[key] = v
                else:
                    cur[key] = int(v)
                continue
            if k in ("zone-orig", "zone-reply"):
                cur["zone"] = int(v)
                continue
            cur = None
            if k in ("packets", "bytes"):
                cdir = "original" if len(tuples) == 1 else "reply"
                counters.setdefault(cdir, {})[k] = int(v)
            elif k == "delta-time":
                out["delta_time"] = int(v)
            elif k == "labels":
                out["labels_text"] = v
            else:
                out[k] = v if k in ("helper", "secctx") else int(v)
        elif w == "[UNREPLIED]":
            cur = None
            out["unreplied"] = True
        elif w in ("[ASSURED]", "[OFFLOAD]", "[HW_OFFLOAD]"):
            out["assured_word"] = w.strip("[]").lower()
    if tuples:
        out["original"] = tuples[0]
    if len(tuples) > 1:
        out["reply"] = tuples[1]
    if counters:
        out["counters"] = counters
    return out


def tuple_matches(js, tx):
    """The text shows every field the JSON tuple has; conntrack(8) shows
    zero for protocol fields the kernel did not send (JSON leaves them
    out)."""
    js = {k: v for k, v in js.items() if k != "proto"}
    for k, v in tx.items():
        if k not in js and v == 0:
            js[k] = 0
    return js == tx


def compare(obj, text):
    """The differences between a JSON object and a parsed text line."""
    bad = []

    def want(cond, what):
        if not cond:
            bad.append(what)

    want(obj.get("event") == text.get("event"), "event")
    want(obj["family"] == text["family"], "family")
    want(obj["protocol"] == text["protocol"], "protocol")
    want(obj["protonum"] == text["protonum"], "protonum")
    want(obj.get("timeout") == text.get("timeout"), "timeout")
    want(obj.get("state") == text.get("state"), "state")
    want(tuple_matches(obj["original"], text["original"]), "original")
    if "reply" in obj or "reply" in text:
        want("reply" in obj and "reply" in text and
             tuple_matches(obj["reply"], text["reply"]), "reply")
    want(obj.get("counters") == text.get("counters"), "counters")
    flags = obj.get("status_flags", [])
    if "status" in obj:
        want(("seen_reply" not in flags) == text.get("unreplied", False),
             "unreplied")
        word = ("hw_offload" if "hw_offload" in flags else
                "offload" if "offload" in flags else
                "assured" if "assured" in flags else None)
        want(word == text.get("assured_word"), "assured")
        want(obj["status"] == sum(1 << i for i in range(32)
                                  if obj["status"] >> i & 1), "status")
    for k in ("mark", "secmark", "secctx", "zone", "helper", "use", "id",
              "portid"):
        want(obj.get(k) == text.get(k), k)
    if "timestamp_start" in obj:
        want("delta_time" in text, "delta-time")
    if "ts_start" in text:
        want(obj["timestamp_start"] // 10**9 == text["ts_start"],
             "timestamp_start")
    if "ts_stop" in text:
        want(obj["timestamp_stop"] // 10**9 == text["ts_stop"],
             "timestamp_stop")
        want(text["delta_time"] == text["ts_stop"] - text["ts_start"],
             "delta-time")
    return bad


def main():
    jfile, tfile = sys.argv[1], sys.argv[2]
    desc = sys.argv[3] if len(sys.argv) > 3 else tfile
    jlines = [l for l in open(jfile).read().splitlines() if l]
    tlines = [l for l in open(tfile).read().splitlines() if l]
    n, failed = 0, 0
    # Pair the lines by the entry's id when the text shows it: two sockets
    # may get the events of different connections in different orders;
    # those of one entry come in one order.
    texts = {}
    for t in tlines:
        # The entry's id is the last one (an ICMP tuple has its own).
        ids = re.findall(r" id=(\d+)(?= |$)",
                         re.sub(r" \[USERSPACE\].*", "", t))
        texts.setdefault(ids[-1] if ids else None, []).append(t)
    for i, j in enumerate(jlines):
        n += 1
        try:
            obj = json.loads(j)
            key = str(obj["id"]) if "id" in obj and str(obj["id"]) in texts \
                else None
            if key is None:
                t = tlines[i] if i < len(tlines) else ""
            else:
                t = texts[key].pop(0) if texts[key] else ""
            bad = compare(obj, parse_text(t))
        except (ValueError, KeyError, IndexError) as e:
            t = locals().get("t", "")
            bad = ["exception %r" % e]
        if bad:
            failed += 1
            print("not ok %d - %s: entry %d: %s" % (n, desc, i + 1,
                                                   ", ".join(bad)))
            print("# json: " + j)
            print("# text: " + t)
        else:
            print("ok %d - %s: entry %d matches field by field" %
                  (n, desc, i + 1))
    n += 1
    if len(jlines) == len(tlines) and jlines:
        print("ok %d - %s: %d JSON objects for %d lines" %
              (n, desc, len(jlines), len(tlines)))
    else:
        failed += 1
        print("not ok %d - %s: %d JSON objects for %d lines" %
              (n, desc, len(jlines), len(tlines)))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
