#!/usr/bin/env python3
"""Independent count of a Stack Exchange dump, to check `faqtory stats`.

Written separately from the C ingester (Python's own XML parser), from
the definitions in the README:
  questions        PostTypeId 1 rows with a title
  answers          PostTypeId 2 rows whose ParentId is such a question
  accepted         questions whose AcceptedAnswerId is one of their answers
  comments         Comments rows whose PostId is a question or answer
  duplicate_links  distinct (duplicate, original) question pairs, both
                   present, from PostLinks LinkTypeId 3 and from
                   PostHistory duplicate closures not reopened later
  votes            from Votes.xml, VoteTypeId 2 (up), 3 (down), 1 (accept):
    up, down       up and down votes on present questions and answers
    rows           distinct (post, day) of those with any up or down vote
    accepted_days  accepted threads whose accepted answer has an
                   acceptance vote
    first_days     the sum over them of the earliest such day as a
                   number (YYYYMMDD), to catch a wrong day
    dangling       type 1-3 votes on posts that are not present
Usage: se_count.py DIR|FILE.7z ...   prints {"sources":[...]} like stats.
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def rows(path_or_stream):
    for _, el in ET.iterparse(path_or_stream, events=("end",)):
        if el.tag == "row":
            yield el.attrib
        el.clear()


def open_member(src, name):
    if os.path.isdir(src):
        p = os.path.join(src, name)
        return open(p, "rb") if os.path.exists(p) else None
    out = subprocess.run(["7z", "x", "-so", src, name], capture_output=True)
    if out.returncode != 0 or not out.stdout:
        return None
    import io
    return io.BytesIO(out.stdout)


def count(src):
    name = os.path.basename(os.path.normpath(src))
    if name.endswith(".7z"):
        name = name[:-3]
    questions, answers_of, accepted_ref = set(), {}, {}
    for r in rows(open_member(src, "Posts.xml")):
        pid = int(r["Id"])
        t = r.get("PostTypeId")
        if t == "1" and r.get("Title"):
            questions.add(pid)
            if "AcceptedAnswerId" in r:
                accepted_ref[pid] = int(r["AcceptedAnswerId"])
        elif t == "2" and "ParentId" in r:
            answers_of[pid] = int(r["ParentId"])
    answers = {a for a, q in answers_of.items() if q in questions}
    accepted = sum(1 for q, a in accepted_ref.items()
                   if a in answers and answers_of[a] == q)
    comments = 0
    f = open_member(src, "Comments.xml")
    if f:
        for r in rows(f):
            if int(r["PostId"]) in questions or int(r["PostId"]) in answers:
                comments += 1
    pairs = set()
    f = open_member(src, "PostLinks.xml")
    if f:
        for r in rows(f):
            if r.get("LinkTypeId") == "3":
                pairs.add((int(r["PostId"]), int(r["RelatedPostId"])))
    f = open_member(src, "PostHistory.xml")
    if f:
        closes, reopens = [], {}
        for r in rows(f):
            t, pid = r.get("PostHistoryTypeId"), int(r["PostId"])
            if t == "11":
                reopens.setdefault(pid, []).append(r["CreationDate"])
            elif t == "10" and r.get("Comment") == "101":
                for orig in json.loads(r["Text"]).get("OriginalQuestionIds", []):
                    closes.append((pid, int(orig), r["CreationDate"]))
        for pid, orig, date in closes:
            if not any(d >= date for d in reopens.get(pid, [])):
                pairs.add((pid, orig))
    dups = sum(1 for a, b in pairs if a != b and a in questions and b in questions)
    accepted_of = {q: a for q, a in accepted_ref.items()
                   if a in answers and answers_of[a] == q}
    return {"name": name, "kind": "stackexchange", "questions": len(questions),
            "answers": len(answers), "accepted": accepted,
            "comments": comments, "duplicate_links": dups,
            "votes": votes(src, questions | answers, accepted_of)}


def votes(src, present, accepted_of):
    up = down = dangling = 0
    days, accepts = set(), {}
    f = open_member(src, "Votes.xml")
    for r in rows(f) if f else ():
        t, post = r.get("VoteTypeId"), int(r["PostId"])
        if t not in ("1", "2", "3"):
            continue
        if post not in present:
            dangling += 1
            continue
        day = r["CreationDate"][:10]
        if t == "1":
            accepts.setdefault(post, []).append(day)
            continue
        days.add((post, day))
        if t == "2":
            up += 1
        else:
            down += 1
    firsts = [min(accepts[a]) for a in accepted_of.values() if a in accepts]
    return {"up": up, "down": down, "rows": len(days),
            "accepted_days": len(firsts),
            "first_days": sum(int(d.replace("-", "")) for d in firsts),
            "dangling": dangling}


if __name__ == "__main__":
    out = sorted((count(s) for s in sys.argv[1:]), key=lambda s: s["name"])
    print(json.dumps({"sources": out}))
