#!/usr/bin/env python3
"""Answer-selection study for issue 12, item 1 (see docs/answer-selection.md).

Reads the shared data in place (Stack Exchange folders, the Discourse tarball,
the GitHub Discussions JSON), rebuilds every accepted thread as it stood
before its acceptance, fits a small deterministic logistic model per source
with a pooled prior on one half of the accepted threads and measures the
selection on the other half (mark hidden), beside the baselines. Standard
library only.

    python3 bench/answer_study.py [--data DIR] [--ablation] [--json OUT]

DIR defaults to ../shared/data relative to the repository root.
"""
import argparse
import html
import json
import math
import os
import re
import sys
import tarfile
import time
import zlib
import xml.etree.ElementTree as ET
from collections import defaultdict

SE_SITES = ["beer.stackexchange.com", "cardano.stackexchange.com",
            "dba.meta.stackexchange.com", "quantumcomputing.stackexchange.com",
            "eosio.meta.stackexchange.com"]
SE_LARGE = SE_SITES[:4]
SHORT = {"beer.stackexchange.com": "beer", "cardano.stackexchange.com": "cardano",
         "dba.meta.stackexchange.com": "dba.meta",
         "quantumcomputing.stackexchange.com": "quantumcomputing",
         "eosio.meta.stackexchange.com": "eosio.meta",
         "discourse-urho3d": "discourse", "github-discussions-payloadcms": "github"}

# --- phrases (English; the C side makes these per language and configurable,
# like the suspect-answer phrases) ---------------------------------------------
THANKS = re.compile(
    r"\b(thanks?|thank you|thx|tnx|ty|cheers|works?|worked|working now|"
    r"solved|fixed|did the trick|does the trick|that'?s it|perfect|exactly|"
    r"helped|helpful|great answer|awesome|brilliant|got it)\b", re.I)
NEGATIVE = re.compile(
    r"\b(doesn'?t work|does not work|didn'?t work|did not work|not working|"
    r"still (?:get|getting|have|having|fails?|broken|not)|no luck|"
    r"doesn'?t help|did not help|didn'?t help|not what i|wrong)\b", re.I)
# Words that reveal the mark itself: a comment saying "accepted" or "marked as
# the solution" exists because of the acceptance, so it is dropped everywhere.
REVEALS = re.compile(r"\baccept|\bmark(?:ed|ing)?\b[^.]{0,30}\b(?:as|answer|solution)\b|"
                     r"\bsolution\b.{0,10}\bmark", re.I)
TAG = re.compile(r"<[^>]+>")
CODE = re.compile(r"<pre|<code", re.I)


def words(h):
    return len(html.unescape(TAG.sub(" ", h or "")).split())


def text_of(h):
    return html.unescape(TAG.sub(" ", h or ""))


def verdict(text):
    """(thanks, negative) of an asker's comment, None if it reveals the mark."""
    if REVEALS.search(text):
        return None
    neg = bool(NEGATIVE.search(text))
    return (bool(THANKS.search(text)) and not neg, neg)


def h2(*parts):
    return zlib.crc32(":".join(str(p) for p in parts).encode())


# --- raw threads -------------------------------------------------------------
# thread: {src, id, asker, views, accepted (answer id or None),
#          acc_day ('YYYY-MM-DD' or None), acc_time (ISO or None),
#          dated_votes (bool), answers: [answer]}
# answer: {id, author, t (ISO), votes [(day, +1/-1)] or None, likes (final),
#          words, code, staff, remarks [(t, thanks, neg)] (asker's words on it)}

def rows(path):
    for _, el in ET.iterparse(path):
        if el.tag == "row":
            yield el.attrib
            el.clear()


def load_se(base, site):
    d = os.path.join(base, site)
    qs, ans = {}, {}
    for r in rows(os.path.join(d, "Posts.xml")):
        pt = r.get("PostTypeId")
        if pt == "1":
            qs[r["Id"]] = {"src": site, "id": r["Id"], "asker": r.get("OwnerUserId") or
                           ("name:" + r.get("OwnerDisplayName", "?")),
                           "views": int(r.get("ViewCount", 0)),
                           "accepted": r.get("AcceptedAnswerId"), "acc_day": None,
                           "acc_time": None, "dated_votes": True, "answers": [],
                           "t": r["CreationDate"]}
        elif pt == "2":
            ans[r["Id"]] = {"id": r["Id"], "parent": r.get("ParentId"),
                            "author": r.get("OwnerUserId") or
                            ("name:" + r.get("OwnerDisplayName", "?")),
                            "t": r["CreationDate"], "votes": [],
                            "likes": int(r.get("Score", 0)),
                            "words": words(r.get("Body")),
                            "code": bool(CODE.search(r.get("Body", ""))),
                            "staff": False, "remarks": []}
    for a in ans.values():
        q = qs.get(a["parent"])
        if q:
            q["answers"].append(a)
    for r in rows(os.path.join(d, "Votes.xml")):
        vt, pid, day = r.get("VoteTypeId"), r.get("PostId"), r.get("CreationDate", "")[:10]
        a = ans.get(pid)
        if a is None:
            continue  # dangling (deleted post) or a question
        if vt == "2":
            a["votes"].append((day, 1))
        elif vt == "3":
            a["votes"].append((day, -1))
        elif vt == "1":
            q = qs.get(a["parent"])
            if q and q["accepted"] == pid:
                q["acc_day"] = day if q["acc_day"] is None else min(q["acc_day"], day)
    for r in rows(os.path.join(d, "Comments.xml")):
        a = ans.get(r.get("PostId"))
        if a is None:
            continue
        q = qs.get(a["parent"])
        if q and r.get("UserId") == q["asker"] and a["author"] != q["asker"]:
            v = verdict(r.get("Text", ""))
            if v is not None:
                a["remarks"].append((r["CreationDate"], v[0], v[1]))
    return list(qs.values())


def load_discourse(base):
    path = os.path.join(base, "discourse-urho3d", "urho3d-topics.tar.xz")
    out = []
    with tarfile.open(path, "r:xz") as tf:
        for m in tf:
            if not m.isfile() or not m.name.endswith(".json"):
                continue
            d = json.load(tf.extractfile(m))
            posts = [p for p in d["post_stream"]["posts"] if p.get("post_type") == 1
                     and not p.get("deleted_at") and not p.get("hidden")]
            posts.sort(key=lambda p: p["post_number"])
            if not posts or posts[0]["post_number"] != 1:
                continue
            asker = posts[0]["username"]
            th = {"src": "discourse-urho3d", "id": str(d["id"]), "asker": asker,
                  "views": int(d.get("views") or 0), "accepted": None,
                  "acc_day": None, "acc_time": None, "dated_votes": False,
                  "answers": [], "t": posts[0]["created_at"]}
            bynum = {}
            for p in posts[1:]:
                likes = p.get("like_count")
                if likes is None:
                    likes = sum(a.get("count", 0) for a in p.get("actions_summary", [])
                                if a.get("id") == 2)
                a = {"id": str(p["post_number"]), "author": p["username"],
                     "t": p["created_at"], "votes": None, "likes": int(likes or 0),
                     "words": words(p.get("cooked")),
                     "code": bool(CODE.search(p.get("cooked", ""))),
                     "staff": bool(p.get("staff") or p.get("moderator") or p.get("admin")),
                     "remarks": []}
                bynum[p["post_number"]] = a
                if p.get("accepted_answer"):
                    th["accepted"] = a["id"]
            # the asker's later posts: a reply to a post, else the nearest
            # earlier post by someone else
            last_other = None
            for p in posts[1:]:
                if p["username"] != asker:
                    last_other = p["post_number"]
                    continue
                tgt = p.get("reply_to_post_number")
                if not tgt or tgt not in bynum or bynum[tgt]["author"] == asker:
                    tgt = last_other
                if tgt is None:
                    continue
                v = verdict(text_of(p.get("cooked")))
                if v is not None:
                    bynum[tgt]["remarks"].append((p["created_at"], v[0], v[1]))
            # the asker's own posts are candidates (self-answers), except
            # the ones that only remark on another post
            th["answers"] = [a for a in bynum.values()]
            out.append(th)
    return out


def load_github(base):
    path = os.path.join(base, "github-discussions-payloadcms", "discussions.json")
    out = []
    for d in json.load(open(path, encoding="utf-8")):
        asker = (d.get("author") or {}).get("name") or "?"
        ans = d.get("answer") or {}
        th = {"src": "github-discussions-payloadcms", "id": d["id"], "asker": asker,
              "views": 0, "accepted": None, "acc_day": (ans.get("chosenAt") or "")[:10] or None,
              "acc_time": ans.get("chosenAt"), "dated_votes": False, "answers": [],
              "t": d["createdAt"]}
        last_other = None
        for i, c in enumerate(d.get("comments") or []):
            au = (c.get("author") or {}).get("name") or "?"
            a = {"id": str(i), "author": au, "t": c["createdAt"], "votes": None,
                 "likes": 0, "words": words(c.get("body")),
                 "code": bool(CODE.search(c.get("body", ""))), "staff": False,
                 "remarks": []}
            if (au == ((ans.get("author") or {}).get("name") or "?")
                    and c["createdAt"] == ans.get("createdAt")):
                th["accepted"] = a["id"]
            for r in c.get("replies") or []:
                if ((r.get("author") or {}).get("name")) == asker and au != asker:
                    v = verdict(text_of(r.get("body")))
                    if v is not None:
                        a["remarks"].append((r["createdAt"], v[0], v[1]))
            if au == asker and last_other is not None:
                v = verdict(text_of(c.get("body")))
                if v is not None:
                    last_other["remarks"].append((c["createdAt"], v[0], v[1]))
            if au != asker:
                last_other = a
            th["answers"].append(a)
        out.append(th)
    return out


# --- snapshot and features ---------------------------------------------------
FEATURES = ["score", "margin", "top", "tied", "first", "order", "thanks", "neg",
            "asker_c", "self", "staff", "len", "code"]
GROUPS = {"score/margin/rank": ["score", "margin", "top", "tied"],
          "asker's words": ["thanks", "neg", "asker_c"],
          "first/age order": ["first", "order"], "self-answer": ["self"],
          "staff": ["staff"], "length/code": ["len", "code"]}


def slog(x):
    return math.copysign(math.log1p(abs(x)), x)


def snapshot(th, hide, opt):
    """Candidates as the thread stood before its acceptance (hide=True), or
    in its final state. Returns [(answer, score, thanks, neg, asker_c)]."""
    day, atime = th["acc_day"], th["acc_time"]
    cands = []
    for a in th["answers"]:
        if hide and day:
            if atime:  # exact acceptance time (GitHub)
                if a["t"] >= atime:
                    continue
            elif a["t"][:10] > day:
                continue
        if a["votes"] is None:
            s = a["likes"]  # undated: final likes (Discourse) / none (GitHub)
        elif hide and day:
            s = sum(v for d, v in a["votes"] if d < day or (opt.same_day_votes and d == day))
        else:
            s = sum(v for d, v in a["votes"])
        rem = a["remarks"]
        if hide and day:
            if atime:
                rem = [r for r in rem if r[0] < atime]
            elif opt.strict_comments:
                rem = [r for r in rem if r[0][:10] < day]
            else:
                rem = [r for r in rem if r[0][:10] <= day]
        cands.append((a, s, any(r[1] for r in rem), any(r[2] for r in rem), bool(rem)))
    cands.sort(key=lambda c: (c[0]["t"], c[0]["id"]))
    return cands


def featurize(th, cands):
    n = len(cands)
    scores = [c[1] for c in cands]
    out = []
    for i, (a, s, thanks, neg, asker_c) in enumerate(cands):
        others = scores[:i] + scores[i + 1:]
        nxt = max(others) if others else 0
        m = s - nxt
        f = {"score": slog(s) / 3, "margin": slog(m) / 3,
             "top": float(n > 1 and m > 0), "tied": float(n > 1 and m == 0 and s == max(scores)),
             "first": float(i == 0 and n > 1), "order": i / (n - 1) if n > 1 else 0.0,
             "thanks": float(thanks), "neg": float(neg), "asker_c": float(asker_c),
             "self": float(a["author"] == th["asker"]), "staff": float(a["staff"]),
             "len": math.log1p(a["words"]) / 6, "code": float(a["code"])}
        out.append(f)
    return out


# --- model -------------------------------------------------------------------
def fit(X, y, prior, lam, iters=300, lr=1.0):
    """Full-batch gradient descent on mean log-loss + lam*|w-prior|^2
    (bias included, also pulled to the prior). Deterministic."""
    d = len(prior)
    w = list(prior)
    n = len(X)
    if n == 0:
        return w
    for _ in range(iters):
        g = [0.0] * d
        for x, t in zip(X, y):
            z = sum(wi * xi for wi, xi in zip(w, x))
            p = 1 / (1 + math.exp(-z)) if z > -35 else 0.0
            e = p - t
            for j in range(d):
                if x[j]:
                    g[j] += e * x[j]
        for j in range(d):
            w[j] -= lr * (g[j] / n + 2 * lam * (w[j] - prior[j]))
    return w


def prob(w, x):
    z = sum(wi * xi for wi, xi in zip(w, x))
    return 1 / (1 + math.exp(-max(-35, min(35, z))))


def vec(f, feats):
    return [1.0] + [f[k] for k in feats]


class Src:
    pass


def prepare(threads, opt):
    """Per accepted thread: hidden snapshot candidates, features and label."""
    acc = []
    skipped = 0
    for th in threads:
        if not th["accepted"]:
            continue
        if th["dated_votes"] and not th["acc_day"]:
            skipped += 1  # accepted but no acceptance vote: date unknown
            continue
        cands = snapshot(th, True, opt)
        if not any(c[0]["id"] == th["accepted"] for c in cands):
            skipped += 1
            continue
        feats = featurize(th, cands)
        acc.append({"th": th, "cands": cands, "f": feats,
                    "y": [float(c[0]["id"] == th["accepted"]) for c in cands],
                    "half": h2(th["src"], th["id"]) & 1,
                    "fold": (h2("fold", th["src"], th["id"]) >> 1) % 5})
    return acc, skipped


def design(items, feats):
    X, y = [], []
    for it in items:
        for f, t in zip(it["f"], it["y"]):
            X.append(vec(f, feats))
            y.append(t)
    return X, y


def train(by_src, feats, opt, pool_srcs):
    """Pooled prior on pool_srcs, then per-source fits pulled to it."""
    d = len(feats) + 1
    Xp, yp = [], []
    for s in pool_srcs:
        X, y = design(by_src.get(s, []), feats)
        Xp += X
        yp += y
    w0 = fit(Xp, yp, [0.0] * d, opt.lam0)
    ws = {}
    for s, items in by_src.items():
        X, y = design(items, feats)
        ws[s] = fit(X, y, w0, opt.lam) if len(items) >= opt.min_src else w0
    return w0, ws


def choose(w, it, feats):
    """Selected candidate index and its confidence (ties: the earlier answer)."""
    best, bp = None, -1.0
    for i, f in enumerate(it["f"]):
        p = prob(w, vec(f, feats))
        if p > bp + 1e-12:
            best, bp = i, p
    return best, bp


def run_model(acc_by_src, feats, opt):
    srcs = sorted(acc_by_src)
    pool = [s for s in srcs if s in SE_SITES]
    fit_half = {s: [it for it in acc_by_src[s] if it["half"] == 0] for s in srcs}
    test_half = {s: [it for it in acc_by_src[s] if it["half"] == 1] for s in srcs}
    # cross-validated (out-of-fold) confidences on the fit half
    oof = []
    for k in range(5):
        tr = {s: [it for it in fit_half[s] if it["fold"] != k] for s in srcs}
        _, ws = train(tr, feats, opt, pool)
        for s in srcs:
            for it in fit_half[s]:
                if it["fold"] == k:
                    i, p = choose(ws[s], it, feats)
                    oof.append((s, len(it["f"]), p, it["y"][i] == 1.0))
    thr = pick_threshold([o for o in oof if o[0] in pool], opt)
    w0, ws = train(fit_half, feats, opt, pool)
    res = []
    for s in srcs:
        for it in test_half[s]:
            i, p = choose(ws[s], it, feats)
            res.append((s, len(it["f"]), p, it["y"][i] == 1.0))
    return thr, w0, ws, res, oof


def pr(rs, thr):
    cov = [r for r in rs if r[2] >= thr]
    n = len(rs)
    return (sum(r[3] for r in cov) / len(cov) if cov else float("nan"),
            len(cov) / n if n else float("nan"), n)


def pick_threshold(oof, opt):
    """Lowest confidence at which the covered fit-half threads reach both
    precision targets (>=2 answers: opt.t2, all: opt.tall)."""
    cands = sorted({round(o[2], 4) for o in oof})
    best = 1.0
    for t in reversed(cands):
        p2, c2, _ = pr([o for o in oof if o[1] >= 2], t)
        pa, ca, _ = pr(oof, t)
        if (p2 >= opt.t2 or c2 == 0) and pa >= opt.tall:
            best = t
    return best


def baselines(items):
    """(name, [(n_answers, covered, correct)]) measured on the same snapshots."""
    out = {}
    for name in ("top m>=1", "top m>=3", "first"):
        out[name] = []
    for it in items:
        n = len(it["cands"])
        scores = [c[1] for c in it["cands"]]
        top = max(range(n), key=lambda i: (scores[i], -i))
        others = scores[:top] + scores[top + 1:]
        m = scores[top] - (max(others) if others else 0)
        ok = it["y"][top] == 1.0
        out["top m>=1"].append((n, m >= 1, ok))
        out["top m>=3"].append((n, m >= 3, ok))
        out["first"].append((n, True, it["y"][0] == 1.0))
    return out


def bl_pr(rs, two):
    rs = [r for r in rs if r[0] >= 2] if two else rs
    cov = [r for r in rs if r[1]]
    return (sum(r[2] for r in cov) / len(cov) if cov else float("nan"),
            len(cov) / len(rs) if rs else float("nan"), len(rs))


# --- views -------------------------------------------------------------------
def view_coverage(threads, w, thr, feats, opt):
    tot = today = after = ceil = base1 = 0
    n_acc = n_comm = 0
    for th in threads:
        v = th["views"]
        tot += v
        final = snapshot(th, False, opt)
        if th["accepted"]:
            today += v
            after += v
            n_acc += 1
        elif final:
            it = {"f": featurize(th, final)}
            _, p = choose(w, it, feats)
            if p >= thr:
                after += v
                n_comm += 1
        if th["accepted"] or any(c[1] >= 1 for c in final):
            ceil += v
        if th["accepted"]:
            base1 += v
        elif final:
            sc = sorted((c[1] for c in final), reverse=True)
            if sc[0] - (sc[1] if len(sc) > 1 else 0) >= 1:
                base1 += v
    f = (lambda x: x / tot if tot else float("nan"))
    return {"today": f(today), "after": f(after), "ceiling": f(ceil), "top m>=1": f(base1),
            "views": tot, "entries_before": n_acc, "entries_after": n_acc + n_comm,
            "community": n_comm}


# --- main --------------------------------------------------------------------
def fmt(p, c, n=None):
    s = ("  -  " if p != p else f"{p:.2f}") + " @ " + ("  -  " if c != c else f"{c:.2f}")
    return s + (f" (n={n})" if n is not None else "")


def study(data, feats, opt):
    t0 = time.time()
    acc_by_src = {}
    skipped = {}
    for s, ths in data.items():
        acc_by_src[s], skipped[s] = prepare(ths, opt)
    thr, w0, ws, res, oof = run_model(acc_by_src, feats, opt)
    return {"thr": thr, "w0": w0, "ws": ws, "res": res, "oof": oof,
            "acc": acc_by_src, "skipped": skipped, "secs": time.time() - t0}


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data"))
    ap.add_argument("--lam0", type=float, default=0.001)
    ap.add_argument("--lam", type=float, default=0.05)
    ap.add_argument("--min-src", type=int, default=30)
    ap.add_argument("--t2", type=float, default=0.85)
    ap.add_argument("--tall", type=float, default=0.90)
    ap.add_argument("--same-day-votes", action="store_true",
                    help="count votes cast on the acceptance day as before it")
    ap.add_argument("--strict-comments", action="store_true",
                    help="drop the asker's remarks made on the acceptance day")
    ap.add_argument("--no-discourse", action="store_true")
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument("--json")
    opt = ap.parse_args()
    t0 = time.time()
    data = {}
    for s in SE_SITES:
        data[s] = load_se(opt.data, s)
    if not opt.no_discourse:
        data["discourse-urho3d"] = load_discourse(opt.data)
    data["github-discussions-payloadcms"] = load_github(opt.data)
    print(f"# loaded in {time.time() - t0:.1f}s", file=sys.stderr)

    r = study(data, FEATURES, opt)
    report(data, r, FEATURES, opt)
    if opt.ablation:
        ablation(data, r, opt)
    print(f"# total {time.time() - t0:.1f}s", file=sys.stderr)


def rows_for(r, srcs):
    return [x for x in r["res"] if x[0] in srcs]


def report(data, r, feats, opt):
    thr = r["thr"]
    order = SE_SITES + [s for s in data if s not in SE_SITES]
    groups = [(SHORT[s], [s]) for s in order] + [("SE pooled (5)", SE_SITES),
                                                  ("SE pooled (4 large)", SE_LARGE)]
    print(f"threshold (chosen on the fit half, out-of-fold, SE pooled): {thr:.3f}")
    print()
    hdr = ("source", "hidden", ">=2", "model all", "model >=2", "top m>=1 >=2",
           "top m>=3 >=2", "first >=2", "top m>=1 all", "first all")
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for name, srcs in groups:
        rs = rows_for(r, srcs)
        items = [it for s in srcs for it in r["acc"].get(s, []) if it["half"] == 1]
        bl = baselines(items)
        pa = pr(rs, thr)
        p2 = pr([x for x in rs if x[1] >= 2], thr)
        cells = [name, str(len(rs)), str(p2[2]), fmt(*pa[:2]), fmt(*p2[:2]),
                 fmt(*bl_pr(bl["top m>=1"], True)[:2]), fmt(*bl_pr(bl["top m>=3"], True)[:2]),
                 fmt(*bl_pr(bl["first"], True)[:2]), fmt(*bl_pr(bl["top m>=1"], False)[:2]),
                 fmt(*bl_pr(bl["first"], False)[:2])]
        print("| " + " | ".join(cells) + " |")
    print()
    print("precision @ coverage on the held-out accepted threads (mark, acceptance vote and "
          "everything after the acceptance day hidden); >=2 = threads with two or more "
          "answers at the acceptance. discourse: likes undated (final likes used); "
          "github: no answer scores, exact acceptance time.")
    print()
    # sanity: share of >=2-answer threads (all accepted) where the top score is the accepted one
    for label, hide in (("final scores", False), ("before acceptance", True)):
        tot = hit = 0
        for s in SE_LARGE:
            for it in r["acc"][s]:
                th = it["th"]
                c = snapshot(th, hide, opt)
                if len(c) < 2:
                    continue
                best = max(c, key=lambda x: x[1])
                tot += 1
                hit += best[0]["id"] == th["accepted"] and \
                    sum(1 for x in c if x[1] == best[1]) == 1
        print(f"top-scored (unique) answer is the accepted one, 4 large SE sites, "
              f">=2 answers, {label}: {hit / tot:.2f} of {tot}")
    print()
    print("| source | views today (accepted) | after (accepted + community) | top m>=1 rule | "
          "ceiling (answer scored >=1) | entries before | after | community |")
    print("|---|---|---|---|---|---|---|---|")
    pooled = defaultdict(float)
    for s in order:
        if s.startswith("github"):
            continue
        vc = view_coverage(data[s], r["ws"][s], thr, feats, opt)
        print(f"| {SHORT[s]} | {vc['today']:.2f} | {vc['after']:.2f} | {vc['top m>=1']:.2f} | "
              f"{vc['ceiling']:.2f} | {vc['entries_before']} | {vc['entries_after']} | "
              f"{vc['community']} |")
        if s in SE_SITES:
            for k in ("today", "after", "top m>=1", "ceiling"):
                pooled[k] += vc[k] * vc["views"]
            pooled["views"] += vc["views"]
            for k in ("entries_before", "entries_after", "community"):
                pooled[k] += vc[k]
    v = pooled["views"]
    print(f"| SE pooled | {pooled['today'] / v:.2f} | {pooled['after'] / v:.2f} | "
          f"{pooled['top m>=1'] / v:.2f} | {pooled['ceiling'] / v:.2f} | "
          f"{int(pooled['entries_before'])} | {int(pooled['entries_after'])} | "
          f"{int(pooled['community'])} |")
    print()
    print("weights (pooled SE prior, then per source), features scaled as in featurize():")
    names = ["bias"] + feats
    print("| source | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    print("| pooled | " + " | ".join(f"{x:+.2f}" for x in r["w0"]) + " |")
    for s in order:
        print(f"| {SHORT[s]} | " + " | ".join(f"{x:+.2f}" for x in r["ws"][s]) + " |")
    print()
    print("skipped accepted threads (no acceptance vote, or the accepted answer not in the "
          "snapshot): " + ", ".join(f"{SHORT[s]} {n}" for s, n in r["skipped"].items()))
    print(f"study time {r['secs']:.1f}s")


def ablation(data, base, opt):
    print()
    print("ablation (SE pooled over 5 sites, held-out half; each run refits and "
          "re-picks its threshold):")
    print()
    print("| variant | threshold | all: prec @ cov | >=2: prec @ cov | discourse >=2 | github >=2 |")
    print("|---|---|---|---|---|---|")

    def line(name, r):
        rs = rows_for(r, SE_SITES)
        pa = pr(rs, r["thr"])
        p2 = pr([x for x in rs if x[1] >= 2], r["thr"])
        d2 = pr([x for x in rows_for(r, ["discourse-urho3d"]) if x[1] >= 2], r["thr"])
        g2 = pr([x for x in rows_for(r, ["github-discussions-payloadcms"]) if x[1] >= 2],
                r["thr"])
        print(f"| {name} | {r['thr']:.3f} | {fmt(*pa[:2])} | {fmt(*p2[:2])} | "
              f"{fmt(*d2[:2])} | {fmt(*g2[:2])} |")
    line("all features", base)
    for g, fs in GROUPS.items():
        feats = [f for f in FEATURES if f not in fs]
        line(f"without {g}", study(data, feats, opt))
    for g, fs in GROUPS.items():
        line(f"only {g}", study(data, fs, opt))
    for flag, name in (("same_day_votes", "votes of the acceptance day counted"),
                       ("strict_comments", "asker's remarks of the acceptance day dropped")):
        o2 = argparse.Namespace(**vars(opt))
        setattr(o2, flag, True)
        line(name, study(data, FEATURES, o2))


if __name__ == "__main__":
    main()
