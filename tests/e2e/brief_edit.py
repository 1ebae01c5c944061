#!/usr/bin/env python3
"""A minimal edit of a real Stack Exchange dump for the weekly brief.

usage: brief_edit.py SRC DST PICKS_JSON

Copies the dump SRC (one <row .../> per line) to DST with 4 questions
added in its final week for one tag: the tag with the most questions of
those not asked about in the final 13 weeks.  Their titles share a word
no question used before ("zymurgol") and a version number each
("7.3.1" ...); each has an accepted answer, 2 by each of 2 existing
users (the ones with the highest reputation who wrote no answer in the
final 12 weeks).  Writes the tag, the users' names and the new ids to
PICKS_JSON.  Deterministic.
"""
import json
import os
import re
import sys
from datetime import datetime, timedelta

src, dst, picks_f = sys.argv[1:4]
ATTR = re.compile(r' ([A-Za-z]+)="([^"]*)"')
TAG = re.compile(r"&lt;([^&]+)&gt;|\|([^|]+)(?=\|)")


def rows(name):
    with open(os.path.join(src, name), encoding="utf-8-sig") as f:
        return f.read().splitlines()


def attrs(line):
    return dict(ATTR.findall(line))


def day(s):
    return datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S")


posts = rows("Posts.xml")
parsed = [attrs(l) for l in posts]
dated = [a for a in parsed if "CreationDate" in a]
now = max(day(a["CreationDate"]) for a in dated)
for c in rows("Comments.xml"):
    a = attrs(c)
    if "CreationDate" in a:
        now = max(now, day(a["CreationDate"]))

count, recent = {}, set()
for a in dated:
    if a.get("PostTypeId") != "1":
        continue
    for m in TAG.finditer(a.get("Tags", "")):
        t = m.group(1) or m.group(2)
        count[t] = count.get(t, 0) + 1
        if now - day(a["CreationDate"]) < timedelta(weeks=13):
            recent.add(t)
tag = sorted((t for t in count if t not in recent),
             key=lambda t: (-count[t], t))[0]

answered_lately = {a.get("OwnerUserId") for a in dated
                   if a.get("PostTypeId") == "2"
                   and now - day(a["CreationDate"]) < timedelta(weeks=12)}
users = [attrs(l) for l in rows("Users.xml")]
users = [u for u in users if "Id" in u and int(u["Id"]) > 0
         and u.get("DisplayName") and u["Id"] not in answered_lately]
users.sort(key=lambda u: (-int(u.get("Reputation", "0")), int(u["Id"])))
people = users[:2]

next_id = max(int(a["Id"]) for a in parsed if "Id" in a) + 1
new_ids, added = [], []
stamp = "%Y-%m-%dT%H:%M:%S.000"
for k in range(4):
    q, ans = next_id, next_id + 1
    next_id += 2
    asked = now - timedelta(days=1 + k, hours=3)
    answered = asked + timedelta(hours=2)
    title = "Why does my %s taste of zymurgol after the 7.3.%d update?" % (
        tag, k + 1)
    added.append(
        '  <row Id="%d" PostTypeId="1" AcceptedAnswerId="%d" '
        'CreationDate="%s" Score="1" ViewCount="12" Body="&lt;p&gt;Since '
        'the update it tastes of zymurgol.&lt;/p&gt;" OwnerUserId="-1" '
        'LastActivityDate="%s" Title="%s" Tags="&lt;%s&gt;" AnswerCount="1" '
        'CommentCount="0" />' % (q, ans, asked.strftime(stamp),
                                 answered.strftime(stamp), title, tag))
    added.append(
        '  <row Id="%d" PostTypeId="2" ParentId="%d" CreationDate="%s" '
        'Score="2" Body="&lt;p&gt;Rinse the lines, then wait a week.&lt;/p&gt;" '
        'OwnerUserId="%s" LastActivityDate="%s" CommentCount="0" />'
        % (ans, q, answered.strftime(stamp), people[k % 2]["Id"],
           answered.strftime(stamp)))
    new_ids.append(q)
posts[len(posts) - 1:len(posts) - 1] = added

os.makedirs(dst, exist_ok=True)
for name in os.listdir(src):
    if name.endswith(".xml"):
        data = posts if name == "Posts.xml" else rows(name)
        with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
            f.write("\n".join(data) + "\n")
json.dump({"tag": tag, "users": [u["DisplayName"] for u in people],
           "new": new_ids}, open(picks_f, "w"))
