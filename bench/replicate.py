#!/usr/bin/env python3
"""Word-shuffled replicas of the pooled Stack Exchange sets, for the
scale bench.  Copy k of every site is a new source (folder
rK.<site>/Posts.xml, questions and answers only) whose words of five or
more letters in titles, bodies and tags go through a random permutation
of the pooled vocabulary (seed k): word frequencies, lengths and thread
shapes stay real, but replicas are not near-duplicates of each other.
Copy 0 is the original text.  Writes copies until at least N questions.

usage: replicate.py N OUTDIR POSTS.xml...
"""
import os
import random
import re
import sys

n_want, outdir, posts = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
WORD = re.compile(r"[A-Za-z]{5,}")
FIELD = re.compile(r' (Title|Body|Tags)="([^"]*)"')
sites = []
vocab = set()
for p in posts:
    rows = []
    with open(p, encoding="utf-8-sig") as f:
        for line in f:
            s = line.strip()
            if s.startswith("<row ") and re.search(r' PostTypeId="[12]"', s):
                rows.append(s)
                for m in FIELD.finditer(s):
                    vocab.update(w.lower() for w in WORD.findall(m.group(2)))
    name = os.path.basename(os.path.dirname(os.path.abspath(p)))
    q = sum(1 for r in rows if ' PostTypeId="1"' in r)
    sites.append((name, rows, q))
vocab = sorted(vocab)
per_copy = sum(q for _, _, q in sites)
copies = -(-n_want // per_copy)
total = 0
for k in range(copies):
    perm = list(vocab)
    random.Random(k).shuffle(perm)
    mapping = dict(zip(vocab, perm))
    sub = lambda m: mapping.get(m.group(0).lower(), m.group(0))
    field = lambda m: ' %s="%s"' % (m.group(1), WORD.sub(sub, m.group(2)) if k else m.group(2))
    for name, rows, q in sites:
        d = os.path.join(outdir, "r%d.%s" % (k, name))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "Posts.xml"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
            for r in rows:
                f.write("  " + FIELD.sub(field, r) + "\n")
            f.write("</posts>\n")
        total += q
print("%d copies, %d questions" % (copies, total))
