#!/usr/bin/env python3
"""Checks a rendered faqtory site folder.

usage: site_check.py DIR [--base-path /]

- every internal href/src of every HTML file resolves to a file of DIR
  (folders through their index.html; 404.html uses base-path URLs);
- every HTML page carries a Content-Security-Policy meta with
  script-src 'self', and no inline script other than JSON-LD;
- every entry page (q/.../index.html without a meta refresh) has QAPage
  JSON-LD that parses and names its published answer (an accepted one as
  acceptedAnswer, a community or top-voted one as the first
  suggestedAnswer), every
  answer's url (when given) an absolute http(s) URL, and exactly one
  element marked data-answer-kind, whose data-answer-id is its own a-ID
  anchor;
- a "no entry" page (data-page="noentry": a thread published before
  that has no entry now) is noindex and has no JSON-LD;
- the XML files (sitemap, feed, OpenSearch) are well-formed;
- the manifest lists exactly the files of DIR, with their sizes.
Prints one line per problem (at most 20) and "site ok: ..." on success.
"""
import json
import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

root = sys.argv[1].rstrip("/")
base_path = "/"
if "--base-path" in sys.argv:
    base_path = sys.argv[sys.argv.index("--base-path") + 1]
# --title T: every page with the site's brand link shows T (one build).
want_title = None
if "--title" in sys.argv:
    want_title = sys.argv[sys.argv.index("--title") + 1]
problems = []


def problem(msg):
    problems.append(msg)


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.csp = None
        self.refresh = False
        self.noentry = False
        self.noindex = False
        self.scripts = []  # (type, src)
        self.in_script = None
        self.script_text = []
        self.jsonld = []
        self.ids = set()
        self.answers = []  # (data-answer-kind, data-answer-id, id)
        self.in_brand = False
        self.brand = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if a.get("data-page") == "noentry":
            self.noentry = True
        if tag == "meta" and a.get("name") == "robots":
            self.noindex = "noindex" in (a.get("content") or "")
        if "data-answer-kind" in a:
            self.answers.append((a["data-answer-kind"],
                                 a.get("data-answer-id"), a.get("id")))
        if tag == "a" and a.get("class") == "brand":
            self.in_brand = True
            self.brand = ""
        for k in ("href", "src"):
            if k in a and a[k] is not None:
                self.links.append(a[k])
        if tag == "meta":
            he = (a.get("http-equiv") or "").lower()
            if he == "content-security-policy":
                self.csp = a.get("content", "")
            if he == "refresh":
                self.refresh = True
                url = (a.get("content") or "").split("url=", 1)
                if len(url) == 2:
                    self.links.append(url[1])
        if tag == "script":
            self.in_script = a.get("type", "")
            self.scripts.append((self.in_script, a.get("src")))
            self.script_text = []

    def handle_data(self, data):
        if self.in_brand:
            self.brand += data
        if self.in_script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_brand = False
        if tag == "script" and self.in_script is not None:
            if self.in_script == "application/ld+json":
                self.jsonld.append("".join(self.script_text))
            self.in_script = None


def resolve(page_rel, url):
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if url.startswith("#") or url == "":
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return ("outside base path", path)
        target = path[len(base_path):]
    else:
        target = os.path.normpath(os.path.join(os.path.dirname(page_rel), path))
        if path.endswith("/") or path in (".", "./"):
            target += "/"
    if target.startswith(".."):
        return ("escapes the site", url)
    full = os.path.join(root, target)
    if target.endswith("/") or target in (".", ""):
        full = os.path.join(full, "index.html")
    elif os.path.isdir(full):
        full = os.path.join(full, "index.html")
    return None if os.path.isfile(full) else ("missing", url)


files = {}
for d, _, names in os.walk(root):
    for n in names:
        p = os.path.join(d, n)
        files[os.path.relpath(p, root)] = os.path.getsize(p)

entries = 0
links = 0
for rel in sorted(files):
    if not rel.endswith(".html"):
        continue
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        text = f.read()
    p = Page()
    p.feed(text)
    if p.csp is None or "script-src 'self'" not in p.csp:
        problem(f"{rel}: no CSP meta with script-src 'self'")
    elif "unsafe-inline" in p.csp:
        problem(f"{rel}: CSP allows inline script")
    if want_title is not None and not p.refresh and p.brand != want_title:
        problem(f"{rel}: site title {p.brand!r}, want {want_title!r}")
    for typ, src in p.scripts:
        if src is None and typ != "application/ld+json":
            problem(f"{rel}: inline script of type '{typ}'")
    for u in p.links:
        links += 1
        r = resolve(rel, u)
        if r:
            problem(f"{rel}: {r[0]}: {r[1]}")
    if p.noentry:
        if not p.noindex or p.jsonld:
            problem(f"{rel}: a no-entry page must be noindex, no JSON-LD")
        continue
    if rel.startswith("q/") and not p.refresh:
        entries += 1
        if len(p.jsonld) != 1:
            problem(f"{rel}: {len(p.jsonld)} JSON-LD blocks")
            continue
        try:
            j = json.loads(p.jsonld[0])
            q = j["mainEntity"]
            assert j["@type"] == "QAPage" and q["@type"] == "Question"
            assert q["name"] and isinstance(q["answerCount"], int)
            assert q["dateCreated"] and q["author"]["name"] is not None
            assert len(p.answers) == 1, f"{len(p.answers)} marked answers"
            kind, aid, eid = p.answers[0]
            assert kind in ("accepted", "community", "voted") and \
                eid == f"a-{aid}", p.answers
            # An accepted answer is the acceptedAnswer; a community one
            # is no acceptedAnswer but the first suggestedAnswer.
            if kind == "accepted":
                a = q["acceptedAnswer"]
            else:
                assert "acceptedAnswer" not in q, "community as accepted"
                a = q["suggestedAnswer"][0]
            assert a["@type"] == "Answer" and a["text"]
            assert a["author"]["name"] is not None
            for x in q.get("suggestedAnswer", []) + (
                    [q["acceptedAnswer"]] if "acceptedAnswer" in q else []):
                assert x["@type"] == "Answer" and x["text"]
                u = urlsplit(x.get("url", "https://h/"))
                assert u.scheme in ("http", "https") and u.netloc, x["url"]
        except Exception as e:  # noqa: BLE001
            problem(f"{rel}: bad JSON-LD: {e!r}")
    if len(problems) > 20:
        break

# The XML files (sitemap, Atom feed, OpenSearch) are well-formed.
import xml.etree.ElementTree as ET  # noqa: E402
for rel in sorted(files):
    if rel.endswith(".xml"):
        try:
            ET.parse(os.path.join(root, rel))
        except ET.ParseError as e:
            problem(f"{rel}: not well-formed XML: {e}")

man = os.path.join(root, ".faqtory-manifest")
if os.path.isfile(man):
    listed = {}
    with open(man, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if "end" not in lines:
        problem("manifest: unfinished")
    for line in lines:
        parts = line.split(" ", 3)
        if len(parts) == 4:
            listed[parts[3]] = int(parts[2])
    for path, size in listed.items():
        if files.get(path) != size:
            problem(f"manifest: {path}: size {files.get(path)} != {size}")
    for path in files:
        if path != ".faqtory-manifest" and path not in listed:
            problem(f"manifest: {path}: not listed")
else:
    problem("no manifest")

for m in problems[:20]:
    print(m)
if problems:
    sys.exit(1)
print(f"site ok: {len(files)} files, {entries} entries, {links} links")
