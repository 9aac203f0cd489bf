#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn session transcripts into fuzz inputs (the format is in fuzz/fuzz.h).

A transcript, fuzz/seeds/NAME/*.txt:

    # a comment
    @ v6 lo          the connection: IPv6, one address for both sides
    < 220 ready\\r\\n  a segment from the server (Python escapes)
    > USER ftp\\r\\n   a segment from the client
    >! RT 1,2\\r\\n    a segment after lost bytes (gap)

A segment longer than 62 bytes is cut into pieces of 62 unless it is one
line or the last segment (the input format cannot say more).

Usage: mkseed.py SEEDS_DIR CORPUS_DIR        write CORPUS_DIR/seed-*
       mkseed.py --check SEEDS_DIR CORPUS_DIR  TAP: are they up to date?
"""
import codecs
import os
import sys


def segment_bytes(data, reply, gap, last):
    """Segment bytes for @data: one when it fits, else pieces of 62."""
    flags = (0x80 if reply else 0) | (0x40 if gap else 0)
    if len(data) > 62 and last:
        return [flags | 63], [data]  # 63: the rest of the input
    if len(data) > 62 and data.find(b"\n") == len(data) - 1:
        return [flags], [data]  # 0: up to and including the "\n"
    ctl, parts = [], []
    for i in range(0, len(data), 62):
        part = data[i:i + 62]
        ctl.append(flags | len(part))
        parts.append(part)
        flags &= 0x80
    return ctl, parts


def convert(text, name):
    config, segs, ctl, payload = 0, [], [], b""
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            words = line[1:].split()
            config = (1 if "v6" in words else 0) | (2 if "lo" in words else 0)
            continue
        head, _, body = line.partition(" ")
        if head not in ("<", ">", "<!", ">!"):
            sys.exit(f"{name}:{n}: a line starts with <, >, <! or >!")
        data = codecs.escape_decode(body.encode())[0]
        if not data:
            sys.exit(f"{name}:{n}: empty segment")
        segs.append((data, head[0] == "<", head.endswith("!")))
    for i, (data, reply, gap) in enumerate(segs):
        c, parts = segment_bytes(data, reply, gap, i == len(segs) - 1)
        ctl += c
        payload += b"".join(parts)
    if len(ctl) > 255:
        sys.exit(f"{name}: more than 255 segments")
    return bytes([config, len(ctl)] + ctl) + payload


def seeds(seed_dir):
    for f in sorted(os.listdir(seed_dir)):
        if f.endswith(".txt"):
            with open(os.path.join(seed_dir, f), encoding="utf-8") as fh:
                yield "seed-" + f[:-4], convert(fh.read(), f)


def main(argv):
    check = argv[1:2] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) != 3:
        sys.exit(__doc__)
    seed_dir, corpus = argv[1], argv[2]
    n = bad = 0
    for name, data in seeds(seed_dir):
        path = os.path.join(corpus, name)
        n += 1
        if check:
            try:
                with open(path, "rb") as fh:
                    same = fh.read() == data
            except OSError:
                same = False
            print(("ok" if same else "not ok") + f" {n} - {path} is "
                  f"up to date with {seed_dir}/{name[5:]}.txt")
            bad += not same
        else:
            with open(path, "wb") as fh:
                fh.write(data)
    if check:
        if bad:
            print(f"# run: {argv[0]} {seed_dir} {corpus}")
        print(f"1..{n}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
