#!/usr/bin/env python3
"""How far the related questions of an incremental run (A, `faqtory
related --json`) are from those of a run from scratch (B): the share of
questions whose list is the same, in the same order, and the share of
B's pairs that A has.  Prints both; exits 1 if either is below its
minimum.

usage: related_drift.py A.json B.json MIN_SAME MIN_PAIRS
"""
import json
import sys


def lists(path):
    with open(path, encoding="utf-8") as f:
        return {(q["source"], q["id"]): [r["id"] for r in q["related"]]
                for q in json.load(f)["questions"]}


a, b = lists(sys.argv[1]), lists(sys.argv[2])
keys = sorted(set(a) & set(b))
same = sum(a[k] == b[k] for k in keys) / max(len(keys), 1)
kept = sum(len(set(a[k]) & set(b[k])) for k in keys)
pairs = kept / max(sum(len(b[k]) for k in keys), 1)
print("%d questions, %.4f of lists the same, %.4f of pairs kept"
      % (len(keys), same, pairs))
sys.exit(0 if len(keys) == len(b) and same >= float(sys.argv[3])
         and pairs >= float(sys.argv[4]) else 1)
