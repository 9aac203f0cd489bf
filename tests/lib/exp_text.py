# SPDX-License-Identifier: GPL-2.0-or-later
"""conntrack(8)'s expectation line, parsed into the fields ctalg's JSON has.

    [    [NEW] ]TIMEOUT proto=N src=A dst=A [sport=P dport=P]
    mask-src=A mask-dst=A [sport=P dport=P] master-src=A master-dst=A
    [sport=P dport=P] [zone=N] [PERMANENT[,INACTIVE][,USERSPACE]]
    class=N [helper=NAME]

GRE tuples have srckey=0x.. dstkey=0x.., ICMP type= code= id=; they are
mapped to the JSON names (srckey, dstkey, icmp_type, icmp_code, icmp_id).
"""

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
