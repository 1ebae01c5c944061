#!/usr/bin/env python3
"""One big Stack Exchange site for bench/scale.sh: word-permuted copies
of the questions and answers of the given sites, in one Posts.xml.
Copy k (k >= 1) maps every word of five or more letters in titles,
bodies and tags through a random permutation of the pooled vocabulary
(seed k), so word frequencies, lengths and thread shapes stay real but
copies are not near-duplicates; copy 0 is the original text.  Ids are
offset per copy and site so they stay unique; answers follow their
question.  Stops after N questions.  --nightly: the same site with every
100th question edited and N / 200 questions (with their answers) added.

usage: scale_site.py [--nightly] N OUTDIR POSTS.xml...
"""
import os, random, re, sys

nightly = sys.argv[1] == "--nightly"
args = sys.argv[2:] if nightly else sys.argv[1:]
n, outdir, posts = int(args[0]), args[1], args[2:]
WORD = re.compile(r"[A-Za-z]{5,}")
FIELD = re.compile(r' (Title|Body|Tags)="([^"]*)"')
IDS = re.compile(r' (Id|ParentId|AcceptedAnswerId)="(\d+)"')
sites, vocab, stride = [], set(), 0
for p in posts:
    rows = []
    for line in open(p, encoding="utf-8-sig"):
        s = line.strip()
        if s.startswith("<row ") and re.search(r' PostTypeId="[12]"', s):
            rows.append(s)
            stride = max(stride, int(IDS.search(s).group(2)) + 1)
            for m in FIELD.finditer(s):
                vocab.update(w.lower() for w in WORD.findall(m.group(2)))
    kids = {}
    for r in rows:
        m = re.search(r' ParentId="(\d+)"', r)
        if m:
            kids.setdefault(m.group(1), []).append(r)
    sites.append([(r, kids.get(IDS.search(r).group(2), [])) for r in rows
                  if ' PostTypeId="1"' in r])
vocab = sorted(vocab)
want = n + (n // 200 if nightly else 0)
os.makedirs(outdir, exist_ok=True)
out = open(os.path.join(outdir, "Posts.xml"), "w", encoding="utf-8")
out.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
q, k = 0, 0
while q < want:
    perm = list(vocab)
    random.Random(k).shuffle(perm)
    mapping = dict(zip(vocab, perm))
    sub = lambda m: mapping.get(m.group(0).lower(), m.group(0))
    for j, threads in enumerate(sites):
        off = (k * len(sites) + j) * stride
        ids = lambda m: ' %s="%d"' % (m.group(1), int(m.group(2)) + off)
        for question, answers in threads:
            if q == want:
                break
            edit = nightly and q < n and q % 100 == 0
            for r in [question] + answers:
                r = IDS.sub(ids, r)
                if k:
                    r = FIELD.sub(lambda m: ' %s="%s"' % (m.group(1),
                        WORD.sub(sub, m.group(2))), r)
                if edit and ' PostTypeId="1"' in r:
                    r = r.replace(' Body="', ' Body="&lt;p&gt;Edited: the'
                                  ' steps below.&lt;/p&gt;', 1)
                out.write("  " + r + "\n")
            q += 1
    k += 1
out.write("</posts>\n")
print("%d copies, %d questions" % (k, q))
