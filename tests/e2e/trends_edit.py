#!/usr/bin/env python3
"""Minimal edits of a real Stack Exchange dump for the trends tests.

usage: trends_edit.py SRC DST CLUSTERS_JSON TRENDS_JSON PICKS_JSON

Copies the dump SRC (one <row .../> per line) to DST with, chosen from
the store's own clusters and flags (`faqtory clusters --json`, `faqtory
trends --json` of the unedited dump):

  burst      15 rephrased questions about one recurring issue (a cluster
             of 3 to 5 questions), asked in the dump's final two weeks
  gap        the accepted answers of another such cluster unaccepted
  negative   one unflagged accepted answer's score set to -4
  complaint  a comment "This doesn't work anymore" on another one
  views      an unflagged question with no accepted answer viewed 500000
             times, and one with an accepted answer viewed as much

and writes what it picked (source ids) to PICKS_JSON.  Deterministic.
"""
import json
import os
import re
import sys
from datetime import datetime, timedelta

src, dst, clusters_f, trends_f, picks_f = sys.argv[1:6]
clusters = json.load(open(clusters_f))["clusters"]
flags = json.load(open(trends_f))["flags"]
flagged = {f["thread"]["id"] for f in flags}

ATTR = re.compile(r' ([A-Za-z]+)="([^"]*)"')


def rows(name):
    with open(os.path.join(src, name), encoding="utf-8-sig") as f:
        return f.read().splitlines()


def attrs(line):
    return dict(ATTR.findall(line))


def set_attr(line, key, value):
    if value is None:
        return re.sub(r' %s="[^"]*"' % key, "", line)
    if re.search(r' %s="' % key, line):
        return re.sub(r' %s="[^"]*"' % key, ' %s="%s"' % (key, value), line)
    return line.replace("<row ", '<row %s="%s" ' % (key, value), 1)


posts = rows("Posts.xml")
by_id = {}
for i, line in enumerate(posts):
    a = attrs(line)
    if "Id" in a:
        by_id[int(a["Id"])] = (i, a)
questions = {k: a for k, (i, a) in by_id.items() if a.get("PostTypeId") == "1"}
newest = max(a["CreationDate"][:19] for _, a in by_id.values()
             if "CreationDate" in a)
now = datetime.strptime(newest, "%Y-%m-%dT%H:%M:%S")

small = [c for c in clusters if 3 <= c["size"] <= 5]
small.sort(key=lambda c: (-c["size"], c["id"]))
burst = small[0]
burst_ids = [m["id"] for m in burst["members"]]
# The tightest issue (least similar member most similar): unaccepting
# its answers changes its questions' vectors least.
tight = sorted(small[1:], key=lambda c: (-min(m["similarity"]
                                              for m in c["members"]), c["id"]))
gapc = tight[int(os.environ.get("GAP_PICK", "0"))]
gap_ids = [m["id"] for m in gapc["members"]]
used = set(burst_ids) | set(gap_ids)

# The 15 new questions: the issue's own titles and bodies, rephrased.
frames = ["{}", "Question about this: {}", "Still wondering: {}",
          "{} (asking again)", "Help needed - {}", "Anyone know? {}",
          "Same problem here: {}", "{} - any update?"]
next_id = max(by_id) + 1
new_ids = []
for k in range(15):
    m = questions[burst_ids[k % len(burst_ids)]]
    when = now - timedelta(hours=1 + 20 * k)
    title = frames[k % len(frames)].format(m["Title"])
    body = "&lt;p&gt;I have this problem too.&lt;/p&gt;" + m.get("Body", "")
    posts.insert(len(posts) - 1,
                 '  <row Id="%d" PostTypeId="1" CreationDate="%s" Score="0" '
                 'ViewCount="3" Body="%s" OwnerUserId="-1" '
                 'LastActivityDate="%s" Title="%s" Tags="%s" AnswerCount="0" '
                 'CommentCount="0" />' % (next_id, when.strftime(
                     "%Y-%m-%dT%H:%M:%S.000"), body, when.strftime(
                     "%Y-%m-%dT%H:%M:%S.000"), title, m.get("Tags", "")))
    new_ids.append(next_id)
    next_id += 1


def edit(pid, key, value):
    i, _ = by_id[pid]
    # Positions before the inserted rows are unchanged (inserted at end).
    posts[i] = set_attr(posts[i], key, value)


for q in gap_ids:
    edit(q, "AcceptedAnswerId", None)

accepted = sorted(q for q, a in questions.items()
                  if "AcceptedAnswerId" in a and q not in flagged
                  and q not in used
                  and int(by_id[int(a["AcceptedAnswerId"])][1]["Score"]) > 0)
neg_q, comp_q, views_acc_q = accepted[0], accepted[1], accepted[2]
edit(int(questions[neg_q]["AcceptedAnswerId"]), "Score", "-4")
edit(views_acc_q, "ViewCount", "500000")
plain = sorted(q for q, a in questions.items()
               if "AcceptedAnswerId" not in a and q not in flagged
               and q not in used)
views_q = plain[0]
edit(views_q, "ViewCount", "500000")

comments = rows("Comments.xml")
cids = [int(attrs(l)["Id"]) for l in comments if 'Id="' in l]
ans = int(questions[comp_q]["AcceptedAnswerId"])
cdate = datetime.strptime(by_id[ans][1]["CreationDate"][:19],
                          "%Y-%m-%dT%H:%M:%S") + timedelta(days=3)
comments.insert(len(comments) - 1,
                '  <row Id="%d" PostId="%d" Score="2" Text="This doesn&#39;t '
                'work anymore, the site changed." CreationDate="%s" '
                'UserId="-1" />' % (max(cids) + 1, ans,
                                    cdate.strftime("%Y-%m-%dT%H:%M:%S.000")))

os.makedirs(dst, exist_ok=True)
for name in os.listdir(src):
    if not name.endswith(".xml"):
        continue
    data = {"Posts.xml": posts, "Comments.xml": comments}.get(name)
    if data is None:
        data = rows(name)
    with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
        f.write("\n".join(data) + "\n")

json.dump({"burst": burst_ids, "burst_new": new_ids, "gap": gap_ids,
           "negative": neg_q, "complaint": comp_q, "views": views_q,
           "views_accepted": views_acc_q}, open(picks_f, "w"))
