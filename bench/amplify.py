#!/usr/bin/env python3
"""Makes an N-times Posts.xml from a real one: N copies of every row,
copy k with its post ids (Id, ParentId, AcceptedAnswerId) offset by
k * (max Id + 1), so all references stay inside their copy.  The result
is one well-formed <posts> document, UTF-8 with a BOM and CRLF like a
real dump.

usage: amplify.py Posts.xml N OUT.xml
"""
import re
import sys

src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
maxid = 0
with open(src, encoding="utf-8-sig") as f:
    for line in f:
        s = line.strip()
        if s.startswith("<row "):
            rows.append(s)
            m = re.search(r' Id="(\d+)"', s)
            maxid = max(maxid, int(m.group(1)))
step = maxid + 1
ref = re.compile(r' (Id|ParentId|AcceptedAnswerId)="(\d+)"')
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write('\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<posts>\r\n')
    for k in range(n):
        off = k * step
        if off == 0:
            f.write("".join("  " + r + "\r\n" for r in rows))
            continue
        sub = lambda m: ' %s="%d"' % (m.group(1), int(m.group(2)) + off)
        f.write("".join("  " + ref.sub(sub, r) + "\r\n" for r in rows))
    f.write("</posts>")
