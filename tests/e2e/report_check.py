#!/usr/bin/env python3
"""Checks the writers' report against the site it was built with.

usage: report_check.py REPORT SITE BASE_URL

- every relative href/src of every report page resolves to a file of
  REPORT (folders through their index.html);
- every link to the public site (an href starting with BASE_URL)
  resolves to a file of SITE, and a public entry link (class "entry")
  to an entry page: no redirect, no "no entry" page, and the answer its
  #a-ID fragment names is on it;
- no other absolute link points at BASE_URL's host.
Prints one line per problem (at most 20) and "report ok: ..." on success.
"""
import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

report, site, base = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), sys.argv[3]
problems = []


class Page(HTMLParser):
    """Links (with the text of <a> elements), ids, and the page kind."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # [href, is an entry link]
        self.ids = set()
        self.refresh = False
        self.noentry = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if a.get("data-page") == "noentry":
            self.noentry = True
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.refresh = True
        for k in ("href", "src"):
            if a.get(k) is not None:
                self.links.append([a[k], tag == "a" and "entry" in
                                   (a.get("class") or "").split()])


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def file_of(root, target):
    full = os.path.join(root, target)
    if target.endswith("/") or target == "" or os.path.isdir(full):
        full = os.path.join(full, "index.html")
    return full if os.path.isfile(full) else None


site_pages = {}
n_files = n_site = n_entries = 0
for d, _, names in os.walk(report):
    for name in sorted(names):
        n_files += 1
        rel = os.path.relpath(os.path.join(d, name), report)
        if not rel.endswith(".html"):
            continue
        for url, entry in parse(os.path.join(report, rel)).links:
            parts = urlsplit(url)
            if url.startswith(base):
                n_site += 1
                target = unquote(urlsplit(url[len(base):]).path)
                if target.startswith("/") or ".." in target.split("/"):
                    problems.append(f"{rel}: escapes the site: {url}")
                    continue
                full = file_of(site, target)
                if full is None:
                    problems.append(f"{rel}: not a file of the site: {url}")
                    continue
                if not entry:
                    continue
                n_entries += 1
                if full not in site_pages:
                    site_pages[full] = parse(full)
                p = site_pages[full]
                if p.refresh or p.noentry:
                    problems.append(f"{rel}: public entry is no entry: {url}")
                elif parts.fragment and parts.fragment not in p.ids:
                    problems.append(f"{rel}: no #{parts.fragment} on {url}")
            elif parts.scheme or parts.netloc:
                if parts.netloc == urlsplit(base).netloc:
                    problems.append(f"{rel}: off the base URL: {url}")
            elif url and not url.startswith("#"):
                target = os.path.normpath(os.path.join(os.path.dirname(rel),
                                                       unquote(parts.path)))
                if url.endswith("/"):
                    target += "/"
                if target.startswith("..") or file_of(report, target) is None:
                    problems.append(f"{rel}: missing in the report: {url}")
        if len(problems) > 20:
            break

for m in problems[:20]:
    print(m)
if problems:
    sys.exit(1)
print(f"report ok: {n_files} files, {n_site} links to the site "
      f"({n_entries} public entries)")
