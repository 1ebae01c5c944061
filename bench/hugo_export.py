#!/usr/bin/env python3
"""Exports the entries of a faqtory-rendered site as a Hugo site with an
equivalent minimal layout, for bench/render.sh.

usage: hugo_export.py FAQTORY_OUT HUGO_SITE

Every entry page (q/<src>/<id>/<slug>/index.html that is not a redirect)
becomes content/q/<src>/<id>.html: front matter (title, date, url, tags)
and the page's <main> as the body.  The layout prints the same head,
header and footer; Hugo also builds its tag pages and home, like
faqtory's tag pages and home.
"""
import html
import json
import os
import re
import sys

src, dst = sys.argv[1], sys.argv[2]
main_re = re.compile(r'<main id="main" class="wrap">\n(.*)</main>', re.S)
title_re = re.compile(r"<h1>(.*?)</h1>", re.S)
date_re = re.compile(r'<time datetime="([^"]+)"')
tag_re = re.compile(r'<li><a href="[^"]*tag/[^"]*/">([^<]*)</a></li>')
os.makedirs(os.path.join(dst, "layouts", "_default"), exist_ok=True)
n = 0
for d, _, files in os.walk(os.path.join(src, "q")):
    if "index.html" not in files:
        continue
    with open(os.path.join(d, "index.html"), encoding="utf-8") as f:
        page = f.read()
    if 'http-equiv="refresh"' in page:
        continue
    rel = os.path.relpath(d, src)  # q/src/id/slug
    parts = rel.split("/")
    body = main_re.search(page).group(1)
    title = html.unescape(title_re.search(body).group(1))
    date = date_re.search(body).group(1)
    tags = [html.unescape(t) for t in tag_re.findall(body.split("</ul>", 1)[0])]
    out = os.path.join(dst, "content", parts[0], parts[1])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, parts[2] + ".html"), "w", encoding="utf-8") as f:
        f.write("---\n")
        f.write("title: %s\n" % json.dumps(title))
        f.write("date: %sZ\n" % date)
        f.write("url: /%s/\n" % rel)
        f.write("tags: %s\n" % json.dumps(tags))
        f.write("---\n")
        f.write(body)
    n += 1

head = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<header class="top"><div class="wrap bar"><a class="brand" href="/">{{ .Site.Title }}</a>
<nav><a href="/topics/">Topics</a> <a href="/tags/">Tags</a> <a href="/contributors/">Contributors</a></nav>
<form class="search" role="search" action="/search/" method="get"><input id="q" name="q" type="search"><button type="submit">Search</button></form></div></header>
<main id="main" class="wrap">
"""
foot = """</main>
<footer class="foot"><div class="wrap"><p>Answers written by our community.</p></div></footer>
</body>
</html>
"""
with open(os.path.join(dst, "layouts", "_default", "single.html"), "w") as f:
    f.write(head + "{{ .Content }}\n" + foot)
with open(os.path.join(dst, "layouts", "_default", "list.html"), "w") as f:
    f.write(head + '<h1>{{ .Title }}</h1>\n<ul class="list">{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>\n' + foot)
with open(os.path.join(dst, "config.toml"), "w") as f:
    f.write('baseURL = "http://localhost:8080/"\ntitle = "FAQ"\n'
            'disableKinds = ["RSS"]\n[markup.goldmark.renderer]\nunsafe = true\n')
print(n)
