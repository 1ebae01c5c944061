#!/usr/bin/env python3
"""A night's change to a folder of Stack Exchange sources (as
bench/scale_site.py writes them): EDIT percent of the questions get a
retitled question and one more sentence in the body, ADD percent new
questions appear (copies of existing threads, question and answers,
under new ids, words reversed so they are new text).  Deterministic
(seed 17).  Writes a copy of SRC to OUT.

usage: nightly.py SRC OUT [EDIT_PCT [ADD_PCT]]   (defaults 1 and 0.5)
"""
import os
import random
import re
import sys

src, out = sys.argv[1], sys.argv[2]
edit = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
add = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
ID = re.compile(r' Id="(\d+)"')
PARENT = re.compile(r' ParentId="(\d+)"')
rng = random.Random(17)
edited = added = 0


def attr(row, name, fn):
    pat = re.compile(r' %s="([^"]*)"' % name)
    return pat.sub(lambda m: ' %s="%s"' % (name, fn(m.group(1))), row, 1)


def reverse_words(s):
    return re.sub(r"[A-Za-z]{5,}", lambda m: m.group(0)[::-1], s)


for name in sorted(os.listdir(src)):
    rows = []
    with open(os.path.join(src, name, "Posts.xml"), encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if s.startswith("<row "):
                rows.append(s)
    qs = [r for r in rows if ' PostTypeId="1"' in r]
    answers = {}
    for r in rows:
        m = PARENT.search(r)
        if m and ' PostTypeId="2"' in r:
            answers.setdefault(m.group(1), []).append(r)
    top = max(int(ID.search(r).group(1)) for r in rows)
    pick = set(rng.sample(range(len(qs)), round(len(qs) * edit / 100)))
    new = []
    for k in sorted(rng.sample(range(len(qs)), round(len(qs) * add / 100))):
        q = qs[k]
        qid = ID.search(q).group(1)
        top += 1
        nq = top
        q = ID.sub(' Id="%d"' % nq, q, 1)
        q = re.sub(r' AcceptedAnswerId="\d+"', "", q)
        q = attr(q, "Title", reverse_words)
        q = attr(q, "Body", reverse_words)
        new.append(q)
        for a in answers.get(qid, []):
            top += 1
            a = ID.sub(' Id="%d"' % top, a, 1)
            a = PARENT.sub(' ParentId="%d"' % nq, a, 1)
            new.append(attr(a, "Body", reverse_words))
        added += 1
    os.makedirs(os.path.join(out, name), exist_ok=True)
    with open(os.path.join(out, name, "Posts.xml"), "w",
              encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        qi = 0
        for r in rows:
            if ' PostTypeId="1"' in r:
                if qi in pick:
                    r = attr(r, "Title", lambda t: t + " (revised)")
                    r = attr(r, "Body", lambda b: b +
                             "&lt;p&gt;Edited: still happens.&lt;/p&gt;")
                    edited += 1
                qi += 1
            f.write("  " + r + "\n")
        for r in new:
            f.write("  " + r + "\n")
        f.write("</posts>\n")
print("%d questions edited, %d added" % (edited, added))
