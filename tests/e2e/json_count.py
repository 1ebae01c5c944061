#!/usr/bin/env python3
"""Independent count of JSON sources, to check `faqtory stats`.

Written separately from the C readers (Python's json module), from the
definitions in docs/sources.md:

Discourse (a folder of topic files or a .tar/.tar.xz/.zip of them):
  questions  topic files (their post_number 1 is the question)
  answers    posts other than post_number 1 whose post_type is 1 or 2,
             not hidden and not deleted
  accepted   topics whose accepted post (topic-level accepted_answer
             .post_number, else the first post with accepted_answer true)
             is one of those answers
GitHub Discussions (flattened array or GraphQL export):
  questions  discussions; answers: top-level comments, plus the chosen
  answer when it is not among them; accepted: discussions with an
  answer; comments: replies to the top-level comments (and to an
  answer stored on its own)
JSON Lines: questions = lines with a thread, answers = their answers,
  accepted = threads with an accepted answer, comments = comments on
  questions and answers.
Usage: json_count.py KIND:PATH ...   prints {"sources":[...]} like stats.
"""
import json
import os
import sys
import tarfile
import zipfile

EXTS = [".tar.xz", ".tar.gz", ".tar.bz2", ".tgz", ".tar", ".zip", ".json",
        ".jsonl", ".ndjson"]


def source_name(path):
    name = os.path.basename(os.path.normpath(path))
    if not os.path.isdir(path):
        for e in EXTS:
            if name.lower().endswith(e):
                return name[: -len(e)]
    return name


def members(path, suffixes):
    """Yields (name, bytes) of the data files of a folder or archive."""
    if os.path.isdir(path):
        for n in sorted(os.listdir(path)):
            if n.lower().endswith(suffixes):
                with open(os.path.join(path, n), "rb") as f:
                    yield n, f.read()
    elif path.lower().endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if n.lower().endswith(suffixes):
                    yield n, z.read(n)
    elif path.lower().endswith(suffixes):
        with open(path, "rb") as f:
            yield os.path.basename(path), f.read()
    else:
        with tarfile.open(path) as t:
            for m in t:
                if m.isfile() and m.name.lower().endswith(suffixes):
                    yield m.name, t.extractfile(m).read()


def discourse(path):
    q = a = acc = 0
    for name, data in members(path, (".json",)):
        base = os.path.basename(name).lower()
        if base in ("categories.json", "site.json"):
            continue
        t = json.loads(data)
        posts = t["post_stream"]["posts"]
        q += 1
        kept = set()
        for p in posts:
            if p["post_number"] == 1:
                continue
            if p.get("post_type", 1) not in (1, 2) or p.get("hidden") \
                    or p.get("deleted_at"):
                continue
            kept.add(p["post_number"])
        a += len(kept)
        ta = t.get("accepted_answer")
        if ta:
            num = ta["post_number"]
        else:
            num = next((p["post_number"] for p in posts
                        if p.get("accepted_answer")), None)
        if num in kept:
            acc += 1
    return q, a, acc, 0


def github(path):
    q = a = acc = c = 0

    def conn(v):
        if v is None:
            return []
        return v if isinstance(v, list) else (v.get("nodes") or [])

    def same(x, y):
        if isinstance(x.get("id"), str) and isinstance(y.get("id"), str):
            return x["id"] == y["id"]
        return (x.get("createdAt") == y.get("createdAt")
                and x.get("author") == y.get("author")
                and (x.get("body") == y.get("body")
                     or x.get("bodyHTML") == y.get("bodyHTML")))

    for _, data in members(path, (".json",)):
        doc = json.loads(data)
        if isinstance(doc, dict):
            doc = doc.get("data", doc)
            doc = doc.get("repository", doc)
            doc = conn(doc["discussions"])
        for d in doc:
            q += 1
            comments = conn(d.get("comments"))
            a += len(comments)
            c += sum(len(conn(x.get("replies"))) for x in comments)
            ans = d.get("answer")
            if ans:
                acc += 1
                if not any(same(x, ans) for x in comments):
                    a += 1
                    c += len(conn(ans.get("replies")))
    return q, a, acc, c


def jsonl(path):
    q = a = acc = c = 0
    for _, data in members(path, (".jsonl", ".ndjson")):
        for line in data.decode("utf-8-sig").split("\n"):
            if not line.strip():
                continue
            t = json.loads(line)
            q += 1
            answers = t.get("answers") or []
            a += len(answers)
            acc += any(x.get("accepted") for x in answers)
            for p in [t["question"]] + answers:
                c += len(p.get("comments") or [])
    return q, a, acc, c


if __name__ == "__main__":
    out = []
    for arg in sys.argv[1:]:
        kind, path = arg.split(":", 1)
        q, a, acc, c = {"discourse": discourse, "github": github,
                        "jsonl": jsonl}[kind](path)
        out.append({"name": source_name(path), "kind": kind, "questions": q,
                    "answers": a, "accepted": acc, "comments": c,
                    "duplicate_links": 0})
    out.sort(key=lambda s: s["name"])
    print(json.dumps({"sources": out}))
