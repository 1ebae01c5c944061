/* The static search client of faqtory (docs/search.md).  No server, no
 * dependencies, no eval: it tokenizes the query exactly as the C
 * tokenizer does in query mode (tests/vectors/README.md) except for
 * stemming, which the shards replace with a map from each word form of
 * the site to its stem; it fetches only the shards its words need, ranks
 * with bm25 (weights precomputed by render/shards.c) and shows the
 * results.  Also loadable in Node (module.exports) for tests and bench. */
(function () {
	"use strict";

	/* ---- tokenizer ---------------------------------------------------- */

	var MAXCP = 64, MAXB = 64;
	var OTHER = 0, LETTER = 1, MARK = 2, DIGIT = 3, CJK = 4, IGNORE = 5;
	var UP = 8, LOW = 16, LATIN = 32, DIAC = 64;
	var uc = null; /* {starts, cls, fs, fn, fst, fd} once loaded */

	function parseUnicode(text) {
		var lines = text.split("\n"), t = { starts: [], cls: [], fs: [], fn: [], fst: [], fd: [] };
		var cp = 0, i, p, r = lines[0].split(" ");
		for (i = 0; i < r.length; i++) {
			p = r[i].split(".");
			cp += parseInt(p[0], 36);
			t.starts.push(cp);
			t.cls.push(parseInt(p[1], 36));
		}
		r = lines[1].split(" ");
		for (cp = 0, i = 0; i < r.length; i++) {
			p = r[i].split(".");
			cp += parseInt(p[0], 36);
			t.fs.push(cp);
			t.fn.push(parseInt(p[1], 36));
			t.fst.push(+p[2]);
			t.fd.push(parseInt(p[3], 36));
		}
		uc = t;
	}

	/* Last index i with a[i] <= x. */
	function floor(a, x) {
		var lo = 0, hi = a.length - 1, m;
		while (lo < hi) {
			m = (lo + hi + 1) >> 1;
			if (a[m] <= x) lo = m; else hi = m - 1;
		}
		return lo;
	}

	/* Class and folded code point of cp. */
	function unit(cp) {
		if (cp < 128) {
			if (cp >= 97 && cp <= 122) return [cp, LETTER | LOW | LATIN];
			if (cp >= 65 && cp <= 90) return [cp + 32, LETTER | UP | LATIN];
			return [cp, cp >= 48 && cp <= 57 ? DIGIT : OTHER];
		}
		if (!uc || (cp >= 0xd800 && cp <= 0xdfff)) return [0xfffd, OTHER];
		var c = uc.cls[floor(uc.starts, cp)], i = floor(uc.fs, cp), d = cp - uc.fs[i];
		if (d >= 0 && d % uc.fst[i] === 0 && d / uc.fst[i] < uc.fn[i]) cp += uc.fd[i];
		return [cp, c];
	}

	function utf8len(cp) {
		return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	}

	/* Query-mode tokens of s: [{t: token, plain: may be stemmed,
	 * s, e: UTF-16 span}], and whether the last one ends the text. */
	function tokenize(s) {
		var units = [], i = 0, cp, u, out = [], n;
		while (i < s.length) {
			cp = s.codePointAt(i);
			n = cp > 0xffff ? 2 : 1;
			u = unit(cp);
			if ((u[1] & 7) !== IGNORE) units.push({ cp: u[0], c: u[1], s: i, e: i + n, f: 0 });
			i += n;
		}
		var k = 0, nu = units.length;
		function kind(x) { return x ? x.c & 7 : OTHER; }
		function isWord(x) { var q = kind(x); return q === LETTER || q === MARK || q === DIGIT; }
		function text(us) {
			var t = "", b = 0, j, c, r, parts;
			for (j = 0; j < us.length; j++) {
				if (us[j].f & 16) continue;
				c = us[j].cp;
				parts = c === 0xdf ? [115, 115] : [c];
				for (r = 0; r < parts.length; r++) {
					b += utf8len(parts[r]);
					if (b > MAXB) return t;
					t += String.fromCodePoint(parts[r]);
				}
			}
			return t;
		}
		while (k < nu) {
			var x = units[k];
			if (isWord(x)) {
				var w = [x], j, nx, more, c;
				x.f = 1; /* SEG */
				k++;
				for (;;) {
					while (k < nu && isWord(units[k]) && w.length < MAXCP) {
						x = units[k++];
						x.f = 0;
						var pv = w[w.length - 1];
						if ((x.c & DIAC) && ((pv.f & 16) || ((pv.c & 7) === LETTER && (pv.c & LATIN)))) x.f = 16;
						w.push(x);
					}
					if (k >= nu || w.length >= MAXCP) break;
					c = units[k].cp;
					j = 0;
					if (c === 46 || c === 45 || c === 95) {
						j = 1;
						while (c === 95 && k + j < nu && units[k + j].cp === 95 && w.length + j < MAXCP) j++;
					} else if (c === 58 && k + 1 < nu && units[k + 1].cp === 58 && w.length + 1 < MAXCP) {
						j = 2;
					}
					nx = units[k + j];
					if (j > 0 && k + j < nu && isWord(nx) && w.length + j + 1 <= MAXCP) {
						for (; j > 0; j--) { units[k].f = 4; w.push(units[k++]); }
						nx.f = 1;
						w.push(nx);
						k++;
						continue;
					}
					more = kind(w[w.length - 1]);
					if ((c === 43 || c === 35) && (more === LETTER || more === MARK)) {
						j = 1;
						if (c === 43 && k + 1 < nu && units[k + 1].cp === 43 && w.length + 1 < MAXCP) j = 2;
						more = kind(units[k + j]);
						if (more !== LETTER && more !== MARK && more !== CJK)
							for (; j > 0; j--) { units[k].f = 8; w.push(units[k++]); }
					}
					break;
				}
				out.push({ t: text(w), plain: plain(w), s: w[0].s, e: w[w.length - 1].e });
			} else if (kind(x) === CJK) {
				var a = null, b;
				while (k < nu && kind(units[k]) === CJK) {
					b = [units[k++]];
					while (k < nu && kind(units[k]) === MARK) b.push(units[k++]);
					if (a) out.push({ t: cjk(a.concat(b)), s: a[0].s, e: b[b.length - 1].e });
					a = b;
				}
				out.push({ t: cjk(a), s: a[0].s, e: a[a.length - 1].e });
			} else {
				k++;
			}
		}
		return out;
	}

	function cjk(us) {
		var t = "", b = 0, j;
		for (j = 0; j < us.length; j++) {
			b += utf8len(us[j].cp);
			if (b > MAXB) break;
			t += String.fromCodePoint(us[j].cp);
		}
		return t;
	}

	/* No joiner, suffix, digit or inner hump: what C may stem. */
	function plain(w) {
		var ty = [], j, q, c;
		for (j = 0; j < w.length; j++) {
			q = w[j].c & 7;
			if ((w[j].f & 12) || q === DIGIT) return false;
			if (q === MARK) continue;
			c = w[j].c;
			ty.push(c & UP ? "U" : c & LOW ? "l" : "o");
		}
		for (j = 1; j < ty.length; j++)
			if ((ty[j - 1] === "l" && ty[j] === "U") ||
			    (ty[j - 1] === "U" && ty[j] === "U" && ty[j + 1] === "l" && ty[j + 2] === "l"))
				return false;
		return true;
	}

	/* ---- index -------------------------------------------------------- */

	var K1 = 1.2;

	function cmp(a, b) { /* code point (= UTF-8 byte) order */
		var i = 0, x, y;
		for (;;) {
			if (i >= a.length || i >= b.length) return (a.length - i > 0) - (b.length - i > 0);
			x = a.codePointAt(i);
			y = b.codePointAt(i);
			if (x !== y) return x < y ? -1 : 1;
			i += x > 0xffff ? 2 : 1;
		}
	}

	function parseShard(buf) {
		var b = new Uint8Array(buf), p = 0;
		function vi() { var v = 0, m = 1, c; do { c = b[p++]; v += (c & 127) * m; m *= 128; } while (c & 128 && p < b.length); return v; }
		var nt = vi(), tl = vi();
		var lines = new TextDecoder().decode(b.subarray(p, p + tl)).split("\n");
		p += tl;
		var terms = new Map(), forms = new Map(), i, df, m, j;
		for (i = 0; i < nt; i++) {
			df = vi();
			m = vi();
			var ids = new Array(m), ws = new Array(m), tl = new Array(m), id = 0;
			for (j = 0; j < m; j++) { id += vi(); ids[j] = id; ws[j] = b[p] & 127; tl[j] = b[p++] >> 7; }
			terms.set(lines[i], { df: df, ids: ids, ws: ws, tl: tl });
		}
		for (i = nt; i < lines.length; i++) {
			j = lines[i].indexOf("\t");
			if (j > 0) forms.set(lines[i].slice(0, j), lines[i].slice(j + 1));
		}
		return { terms: terms, forms: forms };
	}

	/* Edit distance of code point arrays a, b (insert, delete,
	 * substitute, swap neighbours), or max + 1 once it is above max. */
	function dist(a, b, max) {
		var la = a.length, lb = b.length, d = [], i, j, v, lo;
		if (Math.abs(la - lb) > max) return max + 1;
		for (i = 0; i <= la; i++) d.push([i]);
		for (j = 1; j <= lb; j++) d[0][j] = j;
		for (i = 1; i <= la; i++) {
			for (lo = max + 1, j = 1; j <= lb; j++) {
				v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
				if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
				d[i][j] = v;
				if (v < lo) lo = v;
			}
			if (lo > max) return max + 1;
		}
		return d[la][lb];
	}

	/* Typo index lines: [{w, df, term}] */
	function parseRshard(t) {
		return t.split("\n").filter(Boolean).map(function (l) {
			var f = l.split("\t");
			return { w: f[0], df: +f[1], term: f.length > 2 ? f[2] : f[0] };
		});
	}

	/* load(path, kind) -> Promise of text ("text") or ArrayBuffer. */
	function Engine(load) {
		this.load = load;
		this.meta = null;
		this.shards = new Map();
		this.rshards = new Map();
		this.groups = new Map();
	}

	Engine.prototype.init = function () {
		var self = this;
		if (!this.ready)
			this.ready = this.load("search/meta.json", "text").then(function (t) {
				self.meta = JSON.parse(t);
				self.stop = new Set(self.meta.stop.concat(self.meta.sw || []));
			});
		return this.ready;
	};

	Engine.prototype.unicode = function () {
		if (!this.uni)
			this.uni = uc ? Promise.resolve() : this.load("assets/search-unicode.txt", "text").then(parseUnicode);
		return this.uni;
	};

	Engine.prototype.shardOf = function (key, a) {
		var lo = 0, hi, m;
		a = a || this.meta.shards;
		hi = a.length - 1;
		while (lo < hi) {
			m = (lo + hi + 1) >> 1;
			if (cmp(a[m], key) <= 0) lo = m; else hi = m - 1;
		}
		return lo;
	};

	Engine.prototype.shard = function (i) {
		var self = this;
		if (!this.shards.has(i))
			this.shards.set(i, this.load("search/t/" + i + ".bin?" + this.meta.tag, "bin").then(parseShard));
		return this.shards.get(i);
	};

	Engine.prototype.rshard = function (i) {
		if (!this.rshards.has(i))
			this.rshards.set(i, this.load("search/r/" + i + ".txt?" + this.meta.tag, "text").then(parseRshard));
		return this.rshards.get(i);
	};

	Engine.prototype.group = function (g) {
		if (!this.groups.has(g))
			this.groups.set(g, this.load("search/d/" + g + ".json?" + this.meta.tag, "text").then(function (t) {
				var m = new Map();
				JSON.parse(t).forEach(function (d) { m.set(d[0], d); });
				return m;
			}, function () { return new Map(); }));
		return this.groups.get(g);
	};

	/* The postings of a term wherever it lives. */
	Engine.prototype.term = function (t) {
		return this.shard(this.shardOf(t)).then(function (sh) { return sh.terms.get(t) || null; });
	};

	Engine.prototype.idf = function (df) {
		var n = this.meta.n;
		return Math.max(1e-6, Math.log((n - df + 0.5) / (df + 0.5)));
	};

	/* Resolves one query token to [{term, post, w}] (w: weight factor):
	 * its form's stem, else itself; with none and tok.prefix, the terms
	 * and forms of its shard that start with it (weight 0.7). */
	Engine.prototype.resolve = function (tok) {
		var self = this, own = this.shardOf(tok.t);
		return this.shard(own).then(function (sh) {
			var jobs = [], seen = new Set(), extra = 0;
			function add(t, w) {
				if (seen.has(t)) return;
				seen.add(t);
				jobs.push(self.term(t).then(function (p) { return p && { term: t, post: p, w: w }; }));
			}
			var form = sh.forms.get(tok.t);
			if (form) add(form, 1);
			else if (sh.terms.has(tok.t)) add(tok.t, 1);
			else if (tok.prefix && Array.from(tok.t).length >= 2) {
				sh.terms.forEach(function (v, t) { if (t.length > tok.t.length && t.startsWith(tok.t) && extra++ < 50) add(t, 0.7); });
				sh.forms.forEach(function (t, f) { if (f.startsWith(tok.t) && extra++ < 50 && self.shardOf(t) === own) add(t, 0.7); });
			}
			return Promise.all(jobs).then(function (r) { return r.filter(Boolean); });
		});
	};

	/* The word nearest tok.t (1 edit for 4-7 code points, 2 from 8;
	 * neither with a digit) among the terms and forms of its own shard
	 * and of its typo file (words by reversed code points: a typo in the
	 * first letters too); nearest, then with the same first letter
	 * (rarely the one mistyped), then most common, then first in code
	 * point order.  Resolves to {word, term, df} or null. */
	Engine.prototype.fix = function (tok) {
		var cps = Array.from(tok.t), n = cps.length, max = n < 4 ? 0 : n < 8 ? 1 : 2;
		if (!max || /[0-9]/.test(tok.t) || !this.meta.rshards) return Promise.resolve(null);
		var rev = cps.slice().reverse().join("");
		return Promise.all([this.shard(this.shardOf(tok.t)), this.rshard(this.shardOf(rev, this.meta.rshards))]).then(function (r) {
			var best = null, bd = max + 1, bf = 0, bdf = -1, bterm = null;
			function consider(w, df, term) {
				var c = Array.from(w), d = dist(cps, c, max), f = c[0] === cps[0] ? 1 : 0;
				if (d > max || d < 1 || /[0-9]/.test(w)) return;
				if (d < bd || (d === bd && (f > bf || (f === bf && (df > bdf || (df === bdf && cmp(w, best) < 0))))))
					{ best = w; bd = d; bf = f; bdf = df; bterm = term; }
			}
			r[0].terms.forEach(function (v, t) { consider(t, v.df, t); });
			r[0].forms.forEach(function (t, f) { var v = r[0].terms.get(t); consider(f, v ? v.df : 0, t); });
			r[1].forEach(function (x) { consider(x.w, x.df, x.term); });
			return best && { word: best, term: bterm, df: bdf };
		});
	};

	/* Runs a query (docs/search.md, "Ranking"): resolves to {total,
	 * hits: [{id, score, cover}], instead: [[typed, fixed]], terms: Set
	 * of matched terms, words}.  nofix: search the words as typed. */
	Engine.prototype.search = function (q, limit, nofix) {
		var self = this;
		q = String(q).slice(0, 1000);
		return this.init().then(function () {
			return /[^\x00-\x7f]/.test(q) ? self.unicode() : null;
		}).then(function () {
			var toks = tokenize(q), uniq = [], seen = new Set();
			toks.forEach(function (t) { if (!seen.has(t.t) && uniq.length < 32) { seen.add(t.t); uniq.push(t); } });
			if (uniq.length && uniq[uniq.length - 1] === toks[toks.length - 1] && toks[toks.length - 1].e === q.length)
				uniq[uniq.length - 1].prefix = true;
			var rare = uniq.filter(function (t) { return !self.stop.has(t.t); });
			var use = rare.length ? rare : uniq;
			return Promise.all(use.map(function (t) {
				return self.resolve(t).then(function (m) {
					/* a word on at most 3 entries may be a misspelling made
					 * on the site: its correction counts too if 10x as common */
					var rare = m.length === 1 && m[0].w === 1 && m[0].post.df <= 3 ? m[0] : null;
					if ((m.length && !rare) || nofix) return { tok: t, m: m };
					return self.fix(t).then(function (f) {
						if (!f || (rare && (f.df < 10 * rare.post.df || f.term === rare.term))) return { tok: t, m: m };
						return self.term(f.term).then(function (p) {
							if (rare && !p) return { tok: t, m: m };
							return { tok: t, m: m.concat(p ? [{ term: f.term, post: p, w: 1 }] : []), fixed: f.word };
						});
					});
				});
			})).then(function (res) { var r = self.rank(res, limit || 10); r.all = uniq; return r; });
		});
	};

	/* bm25 per word (its best term; prefix terms as one phrase, as in
	 * FTS5: the idf of the documents any of them is in, times 0.7);
	 * documents ordered by how many of the words they have, then by how
	 * many of them are in the title, then by the sum (to 6 decimals),
	 * then by thread id. */
	Engine.prototype.rank = function (res, limit) {
		var self = this, score = new Map(), cover = new Map(), tcover = new Map(), terms = new Set(), instead = [];
		res.forEach(function (r) {
			if (r.fixed) instead.push([r.tok.t, r.fixed]);
			var best = new Map(), pre = new Map(), tl = new Set();
			r.m.forEach(function (x) {
				terms.add(x.term);
				var idf = self.idf(x.post.df), i, v, id;
				for (i = 0; i < x.post.ids.length; i++) {
					id = x.post.ids[i];
					v = x.post.ws[i] * (K1 + 1) / 127;
					if (x.post.tl[i]) tl.add(id);
					if (x.w < 1) { if (!(pre.get(id) >= v)) pre.set(id, v); }
					else best.set(id, Math.max(best.get(id) || 0, idf * v));
				}
			});
			var pidf = self.idf(pre.size) * 0.7;
			pre.forEach(function (v, id) { best.set(id, Math.max(best.get(id) || 0, pidf * v)); });
			best.forEach(function (v, id) {
				score.set(id, (score.get(id) || 0) + v);
				cover.set(id, (cover.get(id) || 0) + 1);
				if (tl.has(id)) tcover.set(id, (tcover.get(id) || 0) + 1);
			});
		});
		var hits = [];
		score.forEach(function (v, id) { hits.push({ id: id, score: Math.round(v * 1e6) / 1e6, cover: cover.get(id), title: tcover.get(id) || 0 }); });
		hits.sort(function (a, b) { return (b.cover - a.cover) || (b.title - a.title) || (b.score - a.score) || (a.id - b.id); });
		return { total: hits.length, hits: hits.slice(0, limit), instead: instead, terms: terms, words: res.map(function (r) { return r.tok; }) };
	};

	/* The entry of thread id: [id, "src:ext", path, title, snippet,
	 * first sentence of its answer (absent: none)]. */
	Engine.prototype.doc = function (id) {
		return this.group(Math.floor(id / Math.pow(2, this.meta.g))).then(function (m) { return m.get(id) || null; });
	};

	/* Spans of text to highlight: words typed or corrected, matched
	 * terms, their known forms, and words that extend a matched stem of
	 * 4+ letters ("transaction" for "transact"). */
	Engine.prototype.marks = function (text, r) {
		var self = this, out = [];
		var words = new Set(r.words.map(function (w) { return w.t; }).concat(r.instead.map(function (x) { return x[1]; })));
		var pre = r.words.filter(function (w) { return w.prefix; }).map(function (w) { return w.t; });
		r.terms.forEach(function (t) { if (t.length >= 4) pre.push(t); });
		tokenize(text).forEach(function (w) {
			var hit = words.has(w.t) || r.terms.has(w.t) || pre.some(function (p) { return p.length > 1 && w.t.startsWith(p); });
			if (!hit && w.plain) self.shards.forEach(function (p) {
				if (p.done && p.done.forms.has(w.t) && r.terms.has(p.done.forms.get(w.t))) hit = true;
			});
			if (hit) out.push([w.s, w.e]);
		});
		return out;
	};

	var api = { tokenize: tokenize, parseUnicode: parseUnicode, Engine: Engine, dist: dist };
	if (typeof module === "object" && module.exports) module.exports = api;
	if (typeof document === "undefined") return;

	/* ---- page --------------------------------------------------------- */

	var script = document.currentScript, root = script ? script.src.replace(/assets\/search\.js.*$/, "") : "/";
	var box = document.getElementById("q"), out = document.getElementById("results");
	if (!box || !out) return;
	var L = out.dataset;
	var engine = new Engine(function (path, kind) {
		return fetch(root + path).then(function (r) {
			if (!r.ok) throw new Error(path + ": " + r.status);
			return kind === "bin" ? r.arrayBuffer() : r.text();
		});
	});
	var seq = 0, timer = 0, nofix = null;

	function el(tag, attrs, text) {
		var e = document.createElement(tag), k;
		for (k in attrs) e.setAttribute(k, attrs[k]);
		if (text != null) e.textContent = text;
		return e;
	}

	/* text with [start, end) spans wrapped in <mark>: text nodes only. */
	function marked(parent, text, spans) {
		var at = 0;
		spans.forEach(function (s) {
			if (s[0] < at) return;
			parent.appendChild(document.createTextNode(text.slice(at, s[0])));
			parent.appendChild(el("mark", {}, text.slice(s[0], s[1])));
			at = s[1];
		});
		parent.appendChild(document.createTextNode(text.slice(at)));
		return parent;
	}

	function say(msg) {
		out.textContent = "";
		out.appendChild(el("p", { "class": "note" }, msg));
	}

	function empty() {
		out.textContent = "";
		var m = engine.meta;
		if (!m || !m.topics.length) return;
		out.appendChild(el("h2", {}, L.topics || "Top topics"));
		var ul = out.appendChild(el("ul", { "class": "list" }));
		m.topics.forEach(function (t) {
			ul.appendChild(el("li")).appendChild(el("a", { href: root + t[1] }, t[0]));
		});
	}

	function show(q, r, docs) {
		out.textContent = "";
		if (r.instead.length) {
			var n = out.appendChild(el("p", { "class": "note instead" }, (L.instead || "Showing results for") + " " +
			    r.all.map(function (w) {
				    var f = r.instead.filter(function (x) { return x[0] === w.t; })[0];
				    return f ? f[1] : w.t;
			    }).join(" ") + ". "));
			var u = new URL(window.location.href);
			u.searchParams.set("q", q);
			u.searchParams.set("fix", "0");
			n.appendChild(el("a", { href: u.toString(), "data-typed": "" }, (L.typed || "Search instead for") + " \u201c" + q.slice(0, 100) + "\u201d"))
			    .addEventListener("click", function (e) { e.preventDefault(); nofix = q; run(); });
		}
		out.appendChild(el("p", { "class": "count", role: "status" },
		    r.total ? r.total + " " + (r.total === 1 ? L.one || "result" : L.many || "results") :
		    (L.none || "No results for") + " \u201c" + q.slice(0, 100) + "\u201d"));
		if (!r.total) {
			var p = out.appendChild(el("p", { "class": "note" }, (L.hint || "Try fewer or other words, or browse:") + " "));
			p.appendChild(el("a", { href: root + "topics/" }, L.alltopics || "Topics"));
			p.appendChild(document.createTextNode(" \u00b7 "));
			p.appendChild(el("a", { href: root + "tags/" }, L.alltags || "Tags"));
			return;
		}
		var ol = out.appendChild(el("ol", { "class": "results" }));
		docs.forEach(function (d) {
			if (!d) return;
			var li = ol.appendChild(el("li"));
			var a = li.appendChild(el("a", { href: root + d[2], "data-result": "", "data-id": d[1] }));
			marked(a, d[3], engine.marks(d[3], r));
			var am = d[5] ? engine.marks(d[5], r) : [];
			if (am.length) { /* the match is in the published answer */
				var ap = li.appendChild(el("p", { "class": "answer" }));
				ap.appendChild(el("strong", {}, (L.answer || "Answer:") + " "));
				marked(ap, d[5], am);
			}
			if (d[4]) marked(li.appendChild(el("p", { "class": "snippet" })), d[4], engine.marks(d[4], r));
		});
	}

	function run() {
		var q = box.value, my = ++seq;
		engine.lastQ = q;
		if (nofix !== q) nofix = null;
		try {
			var u = new URL(window.location.href);
			if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
			if (nofix === null) u.searchParams.delete("fix");
			window.history.replaceState(null, "", u.toString());
		} catch (e) { /* file: URLs */ }
		engine.search(q, 10, nofix !== null).then(function (r) {
			if (my !== seq) return null;
			if (!r.words.length) return engine.init().then(function () { if (my === seq) empty(); });
			return Promise.all(r.hits.map(function (h) { return engine.doc(h.id); })).then(function (docs) {
				if (my === seq) show(q, r, docs);
			});
		}).catch(function () {
			if (my === seq) say(L.error || "Search is unavailable right now.");
		}).then(function () {
			if (my === seq) out.setAttribute("data-done", q); /* for tests */
		});
	}

	/* done shards, for highlighting */
	var shard = engine.shard;
	engine.shard = function (i) {
		var p = shard.call(this, i);
		if (!p.done) p.then(function (s) { p.done = s; });
		return p;
	};

	box.addEventListener("input", function () {
		clearTimeout(timer);
		timer = setTimeout(run, 120);
	});
	function links() { return Array.prototype.slice.call(out.querySelectorAll("a[data-result]")); }
	function move(d) {
		var l = links(), i = l.indexOf(document.activeElement) + d;
		if (!l.length) return;
		if (i < 0) box.focus(); else l[Math.min(i, l.length - 1)].focus();
	}
	document.addEventListener("keydown", function (e) {
		var t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
		if (e.key === "/" && !typing) { e.preventDefault(); box.focus(); box.select(); }
		else if (e.key === "ArrowDown" && (t === box || out.contains(t))) { e.preventDefault(); move(1); }
		else if (e.key === "ArrowUp" && (t === box || out.contains(t))) { e.preventDefault(); move(-1); }
	});
	if (box.form) box.form.addEventListener("submit", function (e) {
		e.preventDefault();
		var l = links();
		if (l.length && engine.lastQ === box.value) window.location.href = l[0].href;
		else { clearTimeout(timer); run(); }
	});
	var q0 = new URLSearchParams(window.location.search).get("q");
	if (q0) box.value = q0;
	if (q0 && new URLSearchParams(window.location.search).get("fix") === "0") nofix = q0;
	run();
})();
