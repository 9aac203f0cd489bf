# SPDX-License-Identifier: GPL-2.0-or-later
"""conntrack(8)'s expectation line, parsed into the fields ctalg's JSON has.

    [    [NEW] ]TIMEOUT proto=N src=A dst=A [sport=P dport=P]
    mask-src=A mask-dst=A [sport=P dport=P] master-src=A master-dst=A
    [sport=P dport=P] [zone=N] [PERMANENT[,INACTIVE][,USERSPACE]]
    class=N [helper=NAME]

GRE tuples have srckey=0x.. dstkey=0x.., ICMP type= code= id=; they are
mapped to the JSON names (srckey, dstkey, icmp_type, icmp_code, icmp_id).

Run as a program, it compares a file of ctalg's JSON lines with a file of
conntrack(8)'s lines, line by line and field by field:

    python3 exp_text.py JSON_FILE TEXT_FILE
"""
import json
import sys

L4_KEYS = {'sport': 'sport', 'dport': 'dport', 'srckey': 'srckey',
           'dstkey': 'dstkey', 'type': 'icmp_type', 'code': 'icmp_code',
           'id': 'icmp_id'}


def parse_line(line):
    out = {'tuple': {}, 'mask': {}, 'master': {}, 'flags': []}
    words = line.split()
    if words and words[0].startswith('['):
        out['event'] = words.pop(0).strip('[]').lower()
    if words and words[0].isdigit():
        out['timeout'] = int(words.pop(0))
    part = 'tuple'
    for w in words:
        if '=' not in w:
            out['flags'] = w.lower().split(',')
            continue
        key, val = w.split('=', 1)
        if key in ('mask-src', 'master-src'):
            part = key.split('-')[0]
        if key == 'proto':
            out['proto'] = int(val)
            out['tuple']['proto'] = int(val)
        elif key.endswith('src') or key.endswith('dst'):
            out[part][key.split('-')[-1]] = val
        elif key in L4_KEYS:
            out[part][L4_KEYS[key]] = int(val, 0)
        elif key in ('class', 'zone'):
            out[key] = int(val)
        elif key == 'helper':
            out['helper'] = val
        else:
            raise ValueError(f'unknown field {key!r} in {line!r}')
    return out


def compare_json(js, txt):
    """Every field of conntrack's line against ctalg's JSON object; the
    differences, as text (none when they agree)."""
    problems = []

    def same(what, a, b):
        if a != b:
            problems.append(f'{what}: json {a!r}, conntrack {b!r}')

    same('event', js.get('event'), txt.get('event'))
    same('timeout', js.get('timeout'), txt.get('timeout'))
    same('proto', js.get('tuple', {}).get('proto'), txt.get('proto'))
    for part in ('tuple', 'mask', 'master'):
        for key, val in txt[part].items():
            same(f'{part}.{key}', js.get(part, {}).get(key), val)
    same('flags', js.get('flags', []), txt['flags'])
    same('class', js.get('class'), txt.get('class'))
    same('zone', js.get('zone'), txt.get('zone'))
    same('helper', js.get('helper'), txt.get('helper'))
    same('family', js.get('family'),
         'ipv6' if ':' in txt['tuple'].get('src', '') else 'ipv4')
    return problems


def main(json_path, text_path):
    with open(json_path) as f:
        objs = f.read().splitlines()
    with open(text_path) as f:
        lines = f.read().splitlines()
    bad = []
    if len(objs) != len(lines):
        bad.append(f'{len(objs)} JSON objects, {len(lines)} conntrack lines')
    for i, (o, t) in enumerate(zip(objs, lines), 1):
        try:
            problems = compare_json(json.loads(o), parse_line(t))
        except ValueError as e:
            problems = [str(e)]
        bad += [f'#{i}: {p}' for p in problems]
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
