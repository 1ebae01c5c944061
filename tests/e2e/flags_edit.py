"""Minimal edits of a real Stack Exchange dump for tests/e2e/flags.sh.

usage: flags_edit.py ORIG EDIT PICKS.json
PICKS names, from the real dump's store: "answers" {case: [answer id,
answer author id, another user id]} and "open" {case: question id}.
Adds one comment per case (several for "quoted") on those accepted
answers, a ClosedDate to open["closed_date"], a close event to
open["closed_history"], and a close then a reopen to open["reopened"].
"""
import json
import os
import re
import shutil
import sys

orig, edit, picks = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
os.makedirs(edit, exist_ok=True)
for f in os.listdir(orig):
    shutil.copy(os.path.join(orig, f), edit)


def esc(s):
    return (s.replace("&", "&amp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))


# (case, by the author?, text): each says "it does not work" only in
# words a writer should not act on, but "control", which still does.
COMMENTS = [
    ("conditional", False,
     "if this is wrong for Stack Exchange I am ready to delete it"),
    ("denial", True,
     "Someone said this is outdated: it still works, I checked today"),
    ("quoted", False,
     'The edit summary "this is wrong" was about the old table'),
    ("quoted", False,
     "The linked page calls it \u201cno longer valid\u201d, which it is not"),
    ("quoted", False, "Searching for `does not work` finds nothing here"),
    ("negated", False, "I don't think this is outdated, the rules are the same"),
    ("control", False, "this is wrong: the law changed in 2019"),
]
path = os.path.join(edit, "Comments.xml")
text = open(path, encoding="utf-8-sig").read()
next_id = max(int(i) for i in re.findall(r'<row Id="(\d+)"', text)) + 1
rows = []
for case, own, body in COMMENTS:
    post, author, other = picks["answers"][case]
    rows.append('  <row Id="%d" PostId="%d" Score="0" Text="%s" '
                'CreationDate="2020-05-01T00:00:00.000" UserId="%d" '
                'ContentLicense="CC BY-SA 4.0" />\n'
                % (next_id, post, esc(body), author if own else other))
    next_id += 1
text = text.replace("</comments>", "".join(rows) + "</comments>")
open(path, "w", encoding="utf-8").write(text)

path = os.path.join(edit, "Posts.xml")
text = open(path, encoding="utf-8-sig").read()
q = picks["open"]["closed_date"]
text, n = re.subn(r'(<row Id="%d" PostTypeId="1" )' % q,
                  r'\1ClosedDate="2019-01-01T00:00:00.000" ', text)
assert n == 1, q
open(path, "w", encoding="utf-8").write(text)


def history(hid, kind, post, date):
    return ('  <row Id="%d" PostHistoryTypeId="%d" PostId="%d" '
            'RevisionGUID="00000000-0000-0000-0000-%012d" '
            'CreationDate="%s" UserId="-1" Comment="102" Text="" />\n'
            % (hid, kind, post, hid, date))


path = os.path.join(edit, "PostHistory.xml")
text = open(path, encoding="utf-8-sig").read()
hid = max(int(i) for i in re.findall(r'<row Id="(\d+)"', text)) + 1
rows = [history(hid, 10, picks["open"]["closed_history"],
                "2019-01-02T00:00:00.000"),
        history(hid + 1, 10, picks["open"]["reopened"],
                "2019-01-03T00:00:00.000"),
        history(hid + 2, 11, picks["open"]["reopened"],
                "2019-02-03T00:00:00.000")]
text = text.replace("</posthistory>", "".join(rows) + "</posthistory>")
open(path, "w", encoding="utf-8").write(text)
