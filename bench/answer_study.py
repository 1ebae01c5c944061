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
NO_REPLY_TO = False
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
# the asker's own post reporting a fix ("found a solution", "I fixed it")
SELF_SOLVED = re.compile(
    r"\b(found|figured|solved|fixed|got it|works|working|the (?:problem|issue) was|"
    r"turns? out|the solution|resolved)\b", re.I)
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


# The store's name of a source where it differs from the folder's: with
# --c-keys the halves and folds are those faqtory's C side draws.
C_NAMES = {"discourse-urho3d": "urho3d-topics"}
KEY_NAMES = {}


def h2(*parts):
    parts = [KEY_NAMES.get(p, p) for p in parts]
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
                            "staff": False, "remarks": [],
                            "solved_words": bool(SELF_SOLVED.search(text_of(r.get("Body"))))}
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
                     "remarks": [],
                     "solved_words": bool(SELF_SOLVED.search(text_of(p.get("cooked"))))}
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
                tgt = None if NO_REPLY_TO else p.get("reply_to_post_number")
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
                 "remarks": [],
                 "solved_words": bool(SELF_SOLVED.search(text_of(c.get("body"))))}
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


def author_history(threads):
    """Per answer: the author's answers accepted before the question was asked
    (SE: acceptance day; GitHub: chosenAt; Discourse: acceptance undated, so
    the accepted thread's creation time), and the author's earlier answers."""
    import bisect
    accs, posts = defaultdict(list), defaultdict(list)
    for th in threads:
        for a in th["answers"]:
            posts[a["author"]].append(a["t"])
            if a["id"] == th["accepted"]:
                key = th["acc_time"] or (th["acc_day"] + "T" if th["acc_day"] else th["t"])
                accs[a["author"]].append(key)
    for v in list(accs.values()) + list(posts.values()):
        v.sort()
    for th in threads:
        for a in th["answers"]:
            if a["author"].startswith("name:") or a["author"] == "?":
                a["prior_acc"] = a["prior_ans"] = 0
                continue
            a["prior_acc"] = bisect.bisect_left(accs[a["author"]], th["t"][:10])
            a["prior_ans"] = bisect.bisect_left(posts[a["author"]], th["t"])


# --- snapshot and features ---------------------------------------------------
FEATURES = ["score", "margin", "top", "tied", "first", "order", "thanks", "neg",
            "asker_c", "self", "self_solved", "staff", "auth_acc", "auth_ans", "len", "code"]
# --maturity: how long the votes had to mature, min(days from the last
# answer to the snapshot, 30) / 30, where the snapshot is the acceptance
# day (hidden) or the source's last dated activity (final state), times
# the vote features. An experiment (docs/answer-selection.md).
MATURITY = ["m_top", "m_margin"]
MATURE_DAYS = 30
DUMP_DAY = {}
GROUPS = {"score/margin/rank": ["score", "margin", "top", "tied"],
          "asker's words": ["thanks", "neg", "asker_c"],
          "first/age order": ["first", "order"], "self-answer": ["self", "self_solved"],
          "staff": ["staff"], "author history": ["auth_acc", "auth_ans"],
          "length/code": ["len", "code"]}


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


def maturity(th, cands, now):
    import datetime
    if not cands or not now:
        return 0.0
    last = max(c[0]["t"][:10] for c in cands)
    days = (datetime.date.fromisoformat(now) - datetime.date.fromisoformat(last)).days
    return min(max(days, 0), MATURE_DAYS) / MATURE_DAYS


def featurize(th, cands, now=None):
    """Features of each candidate. Only differences between the candidates of
    one thread matter to the model; a lone answer gets confidence 1. `now`:
    the snapshot's day (for the maturity features); None: the final state."""
    n = len(cands)
    mat = maturity(th, cands, now or DUMP_DAY.get(th["src"]))
    scores = [c[1] for c in cands]
    out = []
    for i, (a, s, thanks, neg, asker_c) in enumerate(cands):
        others = scores[:i] + scores[i + 1:]
        nxt = max(others) if others else 0
        m = s - nxt
        f = {"score": slog(s) / 3, "margin": slog(m) / 3,
             "top": float(m > 0),
             "tied": float(m == 0 and s == max(scores)),
             "first": float(i == 0), "order": i / (n - 1) if n > 1 else 0.0,
             "thanks": float(thanks), "neg": float(neg), "asker_c": float(asker_c),
             "self": float(a["author"] == th["asker"]),
             "self_solved": float(a["author"] == th["asker"] and a["solved_words"]),
             "staff": float(a["staff"]),
             "auth_acc": math.log1p(a["prior_acc"]) / 3, "auth_ans": math.log1p(a["prior_ans"]) / 5,
             "len": round(math.log1p(a["words"]) / 6, 2), "code": float(a["code"])}
        f["m_top"] = f["top"] * mat
        f["m_margin"] = f["margin"] * mat
        out.append(f)
    return out


# --- model -------------------------------------------------------------------
# A conditional logit: within a thread, P(answer i is the one) =
# exp(w.x_i) / sum_j exp(w.x_j). It answers the question the held-out test
# asks (which answer did the asker accept, given that one was accepted), has
# no intercept (a constant cancels within a thread) and learns nothing from a
# thread with a single answer. Fitted by plain full-batch gradient descent.

def sparse(f, feats):
    return tuple((j, f[k]) for j, k in enumerate(feats) if f[k])


def fit(threads, prior, lam, iters=200, lr=2.0):
    """threads: [(sparse rows, index of the accepted one)], only threads with
    two or more candidates. Minimises mean negative log-likelihood +
    lam*|w-prior|^2 from w=prior, a fixed number of steps. Deterministic."""
    d = len(prior)
    w = list(prior)
    n = len(threads)
    if n == 0:
        return w
    for _ in range(iters):
        g = [0.0] * d
        for xs, pos in threads:
            zs = []
            for x in xs:
                z = 0.0
                for j, v in x:
                    z += w[j] * v
                zs.append(z)
            mz = max(zs)
            es = [math.exp(z - mz) for z in zs]
            tot = sum(es)
            for x, e in zip(xs, es):
                p = e / tot
                for j, v in x:
                    g[j] += p * v
            for j, v in xs[pos]:
                g[j] -= v
        for j in range(d):
            w[j] -= lr * (g[j] / n + 2 * lam * (w[j] - prior[j]))
    return w


def design(items, feats):
    out = []
    for it in items:
        if len(it["f"]) < 2:
            continue
        out.append(([sparse(f, feats) for f in it["f"]], it["y"].index(1.0)))
    return out


def train(by_src, feats, opt, pool_srcs):
    """Pooled prior on pool_srcs, then per-source fits pulled to it."""
    d = len(feats)
    pooled = []
    for s in pool_srcs:
        pooled += design(by_src.get(s, []), feats)
    w0 = fit(pooled, [0.0] * d, opt.lam0)
    ws = {}
    for s, items in by_src.items():
        D = design(items, feats)
        ws[s] = fit(D, w0, opt.lam) if len(D) >= opt.min_src else w0
    return w0, ws


def choose(w, it, feats):
    """Selected candidate index and its confidence, the softmax share (ties:
    the earlier answer). A lone answer has confidence 1."""
    zs = [sum(w[j] * v for j, v in sparse(f, feats)) for f in it["f"]]
    mz = max(zs)
    es = [math.exp(z - mz) for z in zs]
    best = zs.index(mz)
    return best, es[best] / sum(es)


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
        feats = featurize(th, cands, th["acc_day"])
        acc.append({"th": th, "cands": cands, "f": feats,
                    "y": [float(c[0]["id"] == th["accepted"]) for c in cands],
                    "half": h2(th["src"], th["id"]) & 1,
                    "fold": (h2("fold", th["src"], th["id"]) >> 1) % 5})
    return acc, skipped


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
            res.append((s, len(it["f"]), p, it["y"][i] == 1.0, evidence(it["th"], it["cands"][i]),
                        late(it)))
    return thr, w0, ws, res, oof


def evidence(th, c):
    """The gate for publishing at all: some sign that the answer solved it
    (score or likes >= 1, the asker's thanks, the asker's own fix, staff)."""
    a, score, thanks, neg, _ = c
    return (score >= 1 or (thanks and not neg) or a["staff"]
            or (a["author"] == th["asker"] and a["solved_words"]))


def late(it):
    """Days from the last answer in the snapshot to the acceptance day."""
    th = it["th"]
    if not th["acc_day"]:
        return -1
    import datetime
    last = max(c[0]["t"][:10] for c in it["cands"])
    return (datetime.date.fromisoformat(th["acc_day"]) - datetime.date.fromisoformat(last)).days


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
    tot = today = after = gated = ceil = base1 = 0
    n_acc = n_comm = n_gated = 0
    for th in threads:
        v = th["views"]
        tot += v
        final = snapshot(th, False, opt)
        if th["accepted"]:
            today += v
            after += v
            gated += v
            n_acc += 1
        elif final:
            it = {"f": featurize(th, final)}
            i, p = choose(w, it, feats)
            if p >= thr:
                after += v
                n_comm += 1
                if evidence(th, final[i]):
                    gated += v
                    n_gated += 1
        if th["accepted"] or any(c[1] >= 1 for c in final):
            ceil += v
        if th["accepted"]:
            base1 += v
        elif final:
            sc = sorted((c[1] for c in final), reverse=True)
            if sc[0] - (sc[1] if len(sc) > 1 else 0) >= 1:
                base1 += v
    f = (lambda x: x / tot if tot else float("nan"))
    return {"today": f(today), "after": f(after), "gated": f(gated), "ceiling": f(ceil),
            "top m>=1": f(base1), "views": tot, "entries_before": n_acc,
            "entries_after": n_acc + n_comm, "community": n_comm, "community_gated": n_gated}


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
    ap.add_argument("--c-keys", action="store_true",
                    help="halves and folds keyed by the store's source names "
                    "(as faqtory answers --eval draws them)")
    ap.add_argument("--no-order", action="store_true",
                    help="drop the `order` feature, as the C side does")
    ap.add_argument("--no-reply-to", action="store_true",
                    help="Discourse: the asker's post remarks on the nearest "
                    "earlier post by someone else, ignoring reply_to_post_number "
                    "(the store does not keep it)")
    ap.add_argument("--maturity", action="store_true",
                    help="add the vote-maturity interactions m_top, m_margin "
                    "(an experiment; see docs)")
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument("--json")
    opt = ap.parse_args()
    global NO_REPLY_TO
    NO_REPLY_TO = opt.no_reply_to
    if opt.c_keys:
        KEY_NAMES.update(C_NAMES)
    feats = [f for f in FEATURES if not (opt.no_order and f == "order")]
    if opt.maturity:
        feats += MATURITY
    t0 = time.time()
    data = {}
    for s in SE_SITES:
        data[s] = load_se(opt.data, s)
    if not opt.no_discourse:
        data["discourse-urho3d"] = load_discourse(opt.data)
    data["github-discussions-payloadcms"] = load_github(opt.data)
    for s, ths in data.items():
        author_history(ths)
        days = [a["t"][:10] for th in ths for a in th["answers"]]
        days += [v[0] for th in ths for a in th["answers"] for v in a["votes"] or ()]
        DUMP_DAY[s] = max(days) if days else None
    print(f"# loaded in {time.time() - t0:.1f}s", file=sys.stderr)

    r = study(data, feats, opt)
    report(data, r, feats, opt)
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
    hdr = ("source", "hidden", ">=2", "model all", "model+gate all", "model >=2", "top m>=1 >=2",
           "top m>=3 >=2", "first >=2", "top m>=1 all", "first all")
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for name, srcs in groups:
        rs = rows_for(r, srcs)
        items = [it for s in srcs for it in r["acc"].get(s, []) if it["half"] == 1]
        bl = baselines(items)
        pa = pr(rs, thr)
        p2 = pr([x for x in rs if x[1] >= 2], thr)
        pg = pr([x for x in rs if x[4]], thr)
        pg = (pg[0], pg[1] * len([x for x in rs if x[4]]) / len(rs) if rs else float("nan"))
        cells = [name, str(len(rs)), str(p2[2]), fmt(*pa[:2]), fmt(*pg), fmt(*p2[:2]),
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
        tot = hit = tie = 0
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
                tie += any(x[1] == best[1] and x[0]["id"] == th["accepted"] for x in c)
        print(f"accepted answer is the top-scored one, 4 large SE sites, >=2 answers, "
              f"{label}: {hit / tot:.2f} alone at the top, {tie / tot:.2f} at the top "
              f"ties included, of {tot} threads")
    print()
    # the whole precision/coverage curve of the model on >=2-answer threads
    for name, srcs in (("SE pooled", SE_SITES), ("discourse", ["discourse-urho3d"])):
        rs = sorted((x for x in rows_for(r, srcs) if x[1] >= 2), key=lambda x: -x[2])
        pts = []
        for c in (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
            k = max(1, round(c * len(rs)))
            pts.append(f"{c:.1f}: {sum(x[3] for x in rs[:k]) / k:.2f} (conf {rs[k - 1][2]:.2f})")
        print(f"model on held-out >=2-answer threads, {name}, precision at coverage: " +
              "; ".join(pts))
    print()
    # matured votes: threads accepted long after their last answer
    print("| SE pooled, >=2 answers, days from last answer to acceptance | threads | "
          "model | top m>=1 | top m>=3 |")
    print("|---|---|---|---|---|")
    for lo, hi in ((0, 0), (1, 29), (30, 10 ** 6)):
        rs = [x for x in rows_for(r, SE_SITES) if x[1] >= 2 and lo <= x[5] <= hi]
        ids = {id(x) for x in rs}
        items = [it for s in SE_SITES for it in r["acc"][s] if it["half"] == 1
                 and len(it["f"]) >= 2 and lo <= late(it) <= hi]
        bl = baselines(items)
        print(f"| {lo}-{hi if hi < 10 ** 6 else ''} | {len(rs)} | {fmt(*pr(rs, thr)[:2])} | "
              f"{fmt(*bl_pr(bl['top m>=1'], True)[:2])} | {fmt(*bl_pr(bl['top m>=3'], True)[:2])} |")
    print()
    print("| source | views today (accepted) | after (accepted + community) | after, gated | "
          "top m>=1 rule | ceiling (answer scored >=1) | entries before | after | community "
          "| community gated |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    pooled = defaultdict(float)
    for s in order:
        if s.startswith("github"):
            continue
        vc = view_coverage(data[s], r["ws"][s], thr, feats, opt)
        print(f"| {SHORT[s]} | {vc['today']:.2f} | {vc['after']:.2f} | {vc['gated']:.2f} | "
              f"{vc['top m>=1']:.2f} | "
              f"{vc['ceiling']:.2f} | {vc['entries_before']} | {vc['entries_after']} | "
              f"{vc['community']} | {vc['community_gated']} |")
        if s in SE_SITES:
            for k in ("today", "after", "gated", "top m>=1", "ceiling"):
                pooled[k] += vc[k] * vc["views"]
            pooled["views"] += vc["views"]
            for k in ("entries_before", "entries_after", "community", "community_gated"):
                pooled[k] += vc[k]
    v = pooled["views"]
    print(f"| SE pooled | {pooled['today'] / v:.2f} | {pooled['after'] / v:.2f} | "
          f"{pooled['gated'] / v:.2f} | "
          f"{pooled['top m>=1'] / v:.2f} | {pooled['ceiling'] / v:.2f} | "
          f"{int(pooled['entries_before'])} | {int(pooled['entries_after'])} | "
          f"{int(pooled['community'])} | {int(pooled['community_gated'])} |")
    print()
    print("weights (pooled SE prior, then per source), features scaled as in featurize():")
    names = list(feats)
    print("| source | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    print("| pooled | " + " | ".join(f"{x:+.2f}" for x in r["w0"]) + " |")
    for s in order:
        print(f"| {SHORT[s]} | " + " | ".join(f"{x:+.2f}" for x in r["ws"][s]) + " |")
    print()
    print("skipped accepted threads (no acceptance vote, or the accepted answer not in the "
          "snapshot): " + ", ".join(f"{SHORT[s]} {n}" for s, n in r["skipped"].items()))
    print(f"study time {r['secs']:.1f}s")


def _variant(args):
    name, feats, over = args
    o2 = argparse.Namespace(**vars(_G["opt"]))
    for k, v in over.items():
        setattr(o2, k, v)
    r = study(_G["data"], feats, o2)
    out = {"thr": r["thr"]}
    for key, srcs in (("se", SE_SITES), ("dsc", ["discourse-urho3d"]),
                      ("gh", ["github-discussions-payloadcms"])):
        rs = rows_for(r, srcs)
        out[key + "_all"] = pr(rs, r["thr"])
        out[key + "_2"] = pr([x for x in rs if x[1] >= 2], r["thr"])
    return name, out


_G = {}


def ablation(data, base, opt):
    import multiprocessing
    _G["data"], _G["opt"] = data, opt
    jobs = [("all features", FEATURES, {})]
    for g, fs in GROUPS.items():
        jobs.append((f"without {g}", [f for f in FEATURES if f not in fs], {}))
    jobs.append(("without age order (first kept)", [f for f in FEATURES if f != "order"], {}))
    for g, fs in GROUPS.items():
        jobs.append((f"only {g}", fs, {}))
    jobs.append(("all, votes of the acceptance day counted", FEATURES,
                 {"same_day_votes": True}))
    jobs.append(("all, asker's remarks of the acceptance day dropped", FEATURES,
                 {"strict_comments": True}))
    with multiprocessing.get_context("fork").Pool(min(4, os.cpu_count() or 1)) as pool:
        res = pool.map(_variant, jobs)
    print()
    print("ablation (held-out half; each variant refits and re-picks its threshold on the "
          "fit half):")
    print()
    print("| variant | threshold | SE all | SE >=2 | discourse all | discourse >=2 | github >=2 |")
    print("|---|---|---|---|---|---|---|")
    for name, o in res:
        print(f"| {name} | {o['thr']:.3f} | {fmt(*o['se_all'][:2])} | {fmt(*o['se_2'][:2])} | "
              f"{fmt(*o['dsc_all'][:2])} | {fmt(*o['dsc_2'][:2])} | {fmt(*o['gh_2'][:2])} |")


if __name__ == "__main__":
    main()
