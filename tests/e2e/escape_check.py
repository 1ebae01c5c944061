#!/usr/bin/env python3
"""Checks that nothing a source wrote became markup in a rendered folder.

usage: escape_check.py DIR...

For every .html file under each DIR:
- a <meta http-equiv="refresh"> only on a redirect page (the theme's
  redirect.mustache: noindex robots meta) and only to a relative URL;
- at most one <meta name="description">, no <meta> with other
  http-equiv than Content-Security-Policy and refresh;
- every <script> is either JSON-LD or loads a relative src, and none
  holds "alert(";
- no href, src or refresh URL with a scheme other than http, https or
  mailto (javascript:, data:, vbscript: ... after the whitespace and
  controls a browser strips).
Prints one line per problem (at most 20) and "escape ok: N pages".
"""
import os
import re
import sys
from html.parser import HTMLParser

problems = []


def scheme(url):
    u = re.sub(r"[\x00-\x20\x7f]", "", url or "")
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", u)
    return m.group(1).lower() if m else None


class Page(HTMLParser):
    def __init__(self, rel):
        super().__init__(convert_charrefs=True)
        self.rel = rel
        self.redirect = False
        self.refresh = []
        self.descriptions = 0
        self.in_script = False

    def bad(self, msg):
        problems.append(f"{self.rel}: {msg}")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("href", "src", "action", "formaction"):
            s = scheme(a.get(k))
            if s is not None and s not in ("http", "https", "mailto"):
                self.bad(f"{tag} {k} with scheme {s}: {a.get(k)[:60]!r}")
        if tag == "meta":
            he = (a.get("http-equiv") or "").lower()
            if a.get("name") == "robots" and "noindex" in (a.get("content") or ""):
                self.redirect = True
            if a.get("name") == "description":
                self.descriptions += 1
            if he == "refresh":
                self.refresh.append(a.get("content") or "")
            elif he not in ("", "content-security-policy"):
                self.bad(f"meta http-equiv={he!r}")
        if tag == "script":
            self.in_script = True
            typ, src = a.get("type"), a.get("src")
            if src is None and typ != "application/ld+json":
                self.bad(f"inline script of type {typ!r}")
            if src is not None and (scheme(src) or src.startswith("//")):
                self.bad(f"script from {src!r}")

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.bad("a script holds alert(")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def finish(self):
        if self.descriptions > 1:
            self.bad(f"{self.descriptions} description metas")
        for c in self.refresh:
            url = c.split("url=", 1)[1] if "url=" in c else ""
            if not self.redirect:
                self.bad(f"meta refresh on a page that is no redirect: {c[:80]!r}")
            elif scheme(url) or url.strip().startswith("//"):
                self.bad(f"meta refresh to another site: {c[:80]!r}")


pages = 0
for root in sys.argv[1:]:
    for d, _, names in os.walk(root):
        for n in sorted(names):
            if not n.endswith(".html"):
                continue
            path = os.path.join(d, n)
            with open(path, encoding="utf-8", errors="replace") as f:
                p = Page(os.path.relpath(path, root))
                p.feed(f.read())
                p.close()
                p.finish()
            pages += 1
for m in problems[:20]:
    print(m)
if problems:
    sys.exit(1)
print(f"escape ok: {pages} pages")
