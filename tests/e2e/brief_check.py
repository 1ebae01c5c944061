#!/usr/bin/env python3
"""Reads the weekly brief (a report's index.html) for report_brief.sh.

usage: brief_check.py REPORT WHAT [ARG]

  rising-top       prints the first rising category: "<name> <href>"
  rising-words     prints the new words of the first rising category
  thanked          prints the names of the contributors of the week
  text PAGE        prints the visible text of PAGE (tags dropped)
"""
import html
import re
import sys

report, what = sys.argv[1], sys.argv[2]
page = open(report + "/index.html", encoding="utf-8").read()


def section(h2_id):
    """The <ol> right after the <h2 id=...>."""
    m = re.search(r'<h2 id="%s">.*?</h2>\s*(?:<p[^>]*>.*?</p>\s*)*'
                  r'<ol class="items">(.*?)</ol>' % h2_id, page, re.S)
    return m.group(1) if m else ""


def items(block):
    return re.findall(r"<li>(.*?)</li>\n", block, re.S)


if what == "rising-top":
    first = items(section("rising"))[0]
    m = re.match(r'<a href="([^"]+)">(.*?)</a>', first)
    print(html.unescape(m.group(2)), m.group(1))
elif what == "rising-words":
    first = items(section("rising"))[0]
    print(" ".join(html.unescape(w) for w in
                   re.findall(r"<code>(.*?)</code>", first)))
elif what == "thanked":
    m = re.search(r"<h3>[^<]*</h3>\s*<ol class=\"items\">(.*?)</ol>",
                  page[page.index('<h2 id="thanks">'):], re.S)
    for name in re.findall(r"^<li><strong>(.*?)</strong>", m.group(1), re.M):
        print(html.unescape(name))
elif what == "text":
    s = open(sys.argv[3], encoding="utf-8").read()
    s = s[s.index("<main>"):]
    s = re.sub(r"<[^>]+>", " ", s)
    print(" ".join(html.unescape(s).split()))
