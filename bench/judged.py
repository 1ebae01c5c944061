#!/usr/bin/env python3
"""Precision of clusters on judged question pairs.

usage: bench/judged.py JUDGED.tsv CLUSTERS.json
  JUDGED.tsv     tests/data/judged_pairs.tsv: source, a, b, verdict
                 (same|different), origin (cluster|issue|neighbour|human),
                 reason; lines starting with # are comments
  CLUSTERS.json  faqtory clusters --json; a cluster's "level" is "issue"
                 or "topic" (absent: topic)

Prints, per level, per site and pooled, how many judged pairs have both
questions in one cluster of that level and the share judged "same" (the
precision), the same for the level's random sample alone, then the
found pairs split by origin.  The "issue" origin is a random sample of
within-issue pairs of the recurring issues, the "cluster" origin one of
an earlier build's clusters (the topics' baseline); neighbour and human
pairs are chosen to be alike, so a precision that rests on them flatters
the level.  Warns when fewer than MIN judged pairs fall within a
level's clusters.
"""
import json
import sys
from collections import Counter, defaultdict

MIN = 100


def judged(path):
    out = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        s, a, b, verdict, origin = line.rstrip("\n").split("\t")[:5]
        assert verdict in ("same", "different"), line
        out.append((s, int(a), int(b), verdict == "same", origin))
    return out


def levels(path):
    """{level: {(source, id): cluster id}} and within-cluster pair counts."""
    of = defaultdict(dict)
    npairs = defaultdict(Counter)
    for c in json.load(open(path, encoding="utf-8"))["clusters"]:
        lv = c.get("level", "topic")
        n = len(c["members"])
        npairs[lv][c["canonical"]["source"]] += n * (n - 1) // 2
        for m in c["members"]:
            of[lv][(m["source"], m["id"])] = c["id"]
    return of, npairs


def share(ps):
    return "%.3f" % (sum(p[3] for p in ps) / len(ps)) if ps else "-"


# The random sample of each level: within-issue pairs drawn from the
# recurring issues, within-cluster pairs drawn from an earlier build's
# clusters (the baseline, judged the same way).
RANDOM = {"issue": "issue", "topic": "cluster"}


def row(name, ps, within):
    rnd = [p for p in ps if p[4] == RANDOM[name[0]]]
    print("%-6s %-34s %6d %6d %9s %6d %7s %7s" % (
        name[0], name[1], len(ps), sum(p[3] for p in ps), share(ps),
        len(rnd), share(rnd), within))


def report(level, of, npairs, pairs):
    found = [p for p in pairs
             if of.get((p[0], p[1])) is not None
             and of.get((p[0], p[1])) == of.get((p[0], p[2]))]
    sites = sorted({p[0] for p in pairs} | set(npairs))
    for s in sites:
        row((level, s), [p for p in found if p[0] == s], npairs[s])
    row((level, "pooled"), found, sum(npairs.values()))
    by = defaultdict(list)
    for p in found:
        by[p[4]].append(p[3])
    print("%-6s %-34s %s" % (level, "by origin", "  ".join(
        "%s %d/%d" % (o, sum(v), len(v)) for o, v in sorted(by.items()))))
    if len(found) < MIN:
        print("warning: only %d judged pairs fall within %s clusters "
              "(fewer than %d): judge more before trusting the precision"
              % (len(found), level, MIN))
    return len(found)


def main():
    pairs = judged(sys.argv[1])
    of, npairs = levels(sys.argv[2])
    print("%-6s %-34s %6s %6s %9s %6s %7s %7s" % (
        "level", "site", "judged", "same", "precision", "random", "r.prec",
        "pairs"))
    for level in ("issue", "topic"):
        if level in of:
            report(level, of[level], npairs[level], pairs)
    print("(judged: judged pairs with both questions in one cluster of the"
          " level, any origin; random: those of them from the random"
          " cluster sample and their precision r.prec; pairs: all"
          " within-cluster pairs of the level)")


main()
