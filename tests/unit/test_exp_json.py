#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""JSON of recorded expectations, field by field, against conntrack(8).

Each message of tests/data/exp_*.nl is printed as JSON by the library
(tests/tools/exp_print); the JSON must parse, and every field must equal
what conntrack(8) printed for the same message in the .txt next to it.
NAT and the expectfn, which the text leaves out, are checked against the
scenario that made them (tests/lib/exp.sh).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'lib'))
from exp_text import compare_json, parse_line  # noqa: E402

SRCDIR = os.environ.get('SRCDIR', '.')
EXP_PRINT = os.environ.get('EXP_PRINT', 'build/tests/exp_print')

n = 0
failed = 0


def check(cond, desc, *diag):
    global n, failed
    n += 1
    if cond:
        print(f'ok {n} - {desc}')
    else:
        failed += 1
        print(f'not ok {n} - {desc}')
        for d in diag:
            print(f'# {d}')


def nat_expected(js):
    """The scenario asks for NAT and an expectfn on data port 7003 only."""
    if js['tuple'].get('dport') != 7003 or js.get('helper') != 'sip':
        return None, None
    lo = '::1' if js['family'] == 'ipv6' else '127.0.0.1'
    any_addr = '::' if js['family'] == 'ipv6' else '0.0.0.0'
    nat = {'dir': 'orig',
           'tuple': {'src': lo, 'dst': any_addr, 'proto': 17,
                     'sport': 7100, 'dport': 0}}
    return nat, 'nat-follow-master'


for base, kind in (('exp_dump_ipv4', 'list'), ('exp_dump_ipv6', 'list'),
                   ('exp_events', 'events')):
    path = os.path.join(SRCDIR, 'tests', 'data', base)
    out = subprocess.run([EXP_PRINT, path + '.nl', 'json', kind],
                         capture_output=True, text=True)
    check(out.returncode == 0, f'{base}: printed', out.stderr)
    lines = out.stdout.splitlines()
    with open(path + '.txt') as f:
        ref = f.read().splitlines()
    check(len(lines) == len(ref) and lines,
          f'{base}: {len(lines)} objects for {len(ref)} lines')
    nats = 0
    for i, (line, refline) in enumerate(zip(lines, ref), 1):
        try:
            js = json.loads(line)
        except ValueError as e:
            check(False, f'{base} #{i}: JSON parses', str(e), line)
            continue
        problems = compare_json(js, parse_line(refline))
        check(not problems, f'{base} #{i}: every field as conntrack(8)',
              *problems, line, refline)
        nat, fn = nat_expected(js)
        nats += nat is not None
        check(js.get('nat') == nat and js.get('fn') == fn,
              f'{base} #{i}: nat and fn as the scenario made them',
              f'got nat={js.get("nat")} fn={js.get("fn")}',
              f'want nat={nat} fn={fn}')
    if kind == 'list':
        check(nats == 1, f'{base}: one NAT expectation', f'found {nats}')

print(f'1..{n}')
sys.exit(1 if failed else 0)
