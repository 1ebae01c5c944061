#!/usr/bin/env python3
"""Draws the pairs of tests/data/judged_pairs.tsv (done once; kept so
the sample can be redrawn the same way).  Prints "source A B origin"
lines; the verdicts are written by a person reading both questions.

usage: bench/judged_sample.py CLUSTERS.json RELATED3.json HUMAN.db [SEED]
       bench/judged_sample.py --issues CLUSTERS.json JUDGED.tsv [SEED]
  CLUSTERS.json  faqtory clusters --json of a --no-duplicate-links store
  RELATED3.json  faqtory related --json --k 3 of the same store
  HUMAN.db       the same sites ingested with their duplicate links
  --issues       ISSUES random within-issue pairs of the recurring issues
                 (level "issue") not already in JUDGED.tsv, origin "issue"
"""
import json
import random
import sqlite3
import sys
from collections import defaultdict

BASELINE = 104       # random within-cluster pairs, all sites together
ISSUES = 110         # random within-issue pairs (--issues), all sites
PER_SITE_MIN = 3     # at least this many per site (or all it has)
NEIGHBOURS = 92      # random mutual top-3 pairs with similarity >= MIN_SIM
MIN_SIM = 0.35


def cluster_pairs(path, level="topic"):
    per = defaultdict(list)
    for c in json.load(open(path))["clusters"]:
        if c.get("level", "topic") != level:
            continue
        ids = sorted(m["id"] for m in c["members"])
        s = c["canonical"]["source"]
        per[s] += [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    return per


def quota(per, want=BASELINE):
    """Proportional to each site's within-cluster pairs, floor PER_SITE_MIN."""
    total = sum(len(p) for p in per.values())
    return {s: max(min(PER_SITE_MIN, len(p)), round(want * len(p) / total))
            for s, p in per.items()}


def issues_main(clusters, judged_tsv, seed):
    """Random within-issue pairs, none already judged."""
    rnd = random.Random(seed)
    done = set()
    for line in open(judged_tsv, encoding="utf-8"):
        if not line.startswith("#") and line.strip():
            f = line.split("\t")
            done.add((f[0], int(f[1]), int(f[2])))
    per = cluster_pairs(clusters, "issue")
    for s in per:
        per[s] = [p for p in per[s] if (s, p[0], p[1]) not in done]
    for s, n in sorted(quota(per, ISSUES).items()):
        for a, b in sorted(rnd.sample(sorted(per[s]), min(n, len(per[s])))):
            print("%s\t%d\t%d\tissue" % (s, a, b))


def mutual(path):
    top = {}
    for q in json.load(open(path))["questions"]:
        top[(q["source"], q["id"])] = {
            r["id"]: r["score"] for r in q["related"]
            if r["source"] == q["source"]}
    out = set()
    for (s, a), near in top.items():
        for b, sc in near.items():
            back = top.get((s, b), {})
            if a < b and a in back and min(sc, back[a]) >= MIN_SIM:
                out.add((s, a, b))
    return sorted(out)


def main():
    if sys.argv[1] == "--issues":
        issues_main(sys.argv[2], sys.argv[3],
                    int(sys.argv[4]) if len(sys.argv) > 4 else 20)
        return
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 14
    rnd = random.Random(seed)
    per = cluster_pairs(sys.argv[1])
    seen = set()
    rows = []
    for s, n in sorted(quota(per).items()):
        for a, b in rnd.sample(sorted(per[s]), n):
            seen.add((s, a, b))
            rows.append((s, a, b, "cluster"))
    db = sqlite3.connect(sys.argv[3])
    human = set()
    for s, a, b in db.execute(
            "SELECT s.name, l.from_ext, l.to_ext FROM links l"
            " JOIN sources s ON s.id = l.source_id"
            " WHERE l.kind = 'duplicate' AND l.from_ext <> l.to_ext"):
        human.add((s, min(a, b), max(a, b)))
    near = [p for p in mutual(sys.argv[2]) if p not in seen | human]
    for s, a, b in sorted(rnd.sample(near, min(NEIGHBOURS, len(near)))):
        seen.add((s, a, b))
        rows.append((s, a, b, "neighbour"))
    for s, a, b in sorted(human - seen):
        rows.append((s, a, b, "human"))
    for r in rows:
        print("%s\t%d\t%d\t%s" % r)


main()
