#!/usr/bin/env python3
"""Entries and redirect pages of a built site, by what folded each thread.

    python3 bench/folds.py STORE SITE

Reads the published site (SITE: the `out` folder or one release) and the
store it was rendered from.  Every thread folder q/<src>/<id>/<slug>/ is an
entry, a redirect (a meta refresh to another thread) or a "no entry" page
(a thread that was published before and has no entry now: docs/site.md).
A redirect is counted as a `merge` when a curation merge of the thread
names the thread it leads to, else `human` when the source's duplicate
links (Stack Exchange PostLinks type 3 or a duplicate closure) lead there,
else `machine` (a cluster fold, which faqtory no longer makes).  Prints one line per source:

    SOURCE entries=N redirects=N human=N merge=N machine=N noentry=N
"""
import os
import re
import sqlite3
import sys

REFRESH = re.compile(rb'http-equiv="refresh" content="0; url=[./]*q/[^/]+/(-?[0-9]+)/')
NOENTRY = re.compile(rb'data-page="noentry"')


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: folds.py STORE SITE")
    db = sqlite3.connect(sys.argv[1])
    site = sys.argv[2]
    srcs = {short: (sid, name) for sid, name, short in
            db.execute("SELECT id, name, short FROM sources")}
    merged = {(s, e, to) for s, e, to in db.execute(
        "SELECT t.source_id, t.ext_id, u.ext_id FROM curation c"
        " JOIN threads t ON t.id=c.thread_id JOIN threads u"
        " ON u.id=c.target_id WHERE c.action='merge'")}
    dups = {}
    for s, a, b in db.execute("SELECT source_id, from_ext, to_ext"
                              " FROM links WHERE kind='duplicate'"):
        dups.setdefault((s, a), set()).add(b)

    def human(sid, ext, to):
        seen, todo = set(), [ext]
        while todo:
            e = todo.pop()
            for nxt in dups.get((sid, e), ()):
                if nxt == to:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False
    for short in sorted(os.listdir(os.path.join(site, "q"))):
        if short not in srcs:
            continue
        sid, name = srcs[short]
        n = dict(entries=0, redirects=0, human=0, merge=0, machine=0,
                 noentry=0)
        top = os.path.join(site, "q", short)
        for ext in os.listdir(top):
            for slug in os.listdir(os.path.join(top, ext)):
                page = os.path.join(top, ext, slug, "index.html")
                if not os.path.isfile(page):
                    continue
                with open(page, "rb") as f:
                    body = f.read()
                key = (sid, int(ext))
                m = REFRESH.search(body)
                if NOENTRY.search(body):
                    n["noentry"] += 1
                elif not m:
                    n["entries"] += 1
                else:
                    to = int(m.group(1))
                    n["redirects"] += 1
                    n["merge" if key + (to,) in merged else
                      "human" if human(sid, int(ext), to) else
                      "machine"] += 1
        print(name, " ".join("%s=%d" % kv for kv in n.items()))


if __name__ == "__main__":
    main()
