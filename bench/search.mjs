// The numbers of bench/search.sh (run that, not this).
// MRR@10 and recall@10 of the original, per site and pooled, for
// `faqtory search --entries` (the site's own search files, ranked as the
// browser ranks them), for the static search in chromium (the results
// the page shows, one cold page per query), for the same client in Node
// over the site's files, for `faqtory search --any` over the store (the
// older C search, all threads) and for Pagefind in chromium over a copy
// of the same site.  Then KB transferred per cold query (median, 95th
// percentile; as transferred by `faqtory serve`, which gzips text as any
// static host does, and uncompressed) and ms to the first results, both
// sites served by `faqtory serve`.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const S = require("../site-template/search.js");
const [FAQ, OUT] = process.argv.slice(2);
const SITE = join(OUT, "site"), PF = join(OUT, "pf");
const sql = (db, q) => execFileSync("sqlite3", ["-separator", "\t", db, q], { encoding: "utf8" })
	.split("\n").filter(Boolean).map((l) => l.split("\t"));
const short = (n) => n.replace(/\.stackexchange\.com$/, "").replace(/\.meta$/, ".meta");

// Pairs (duplicate, canonical) from the store with the links.
const pairs = sql(join(OUT, "human.db"), "SELECT s.name, l.from_ext, l.to_ext, t.title FROM links l" +
	" JOIN sources s ON s.id = l.source_id JOIN threads t ON t.source_id = l.source_id AND t.ext_id = l.from_ext" +
	" WHERE l.kind = 'duplicate' AND l.from_ext <> l.to_ext ORDER BY s.name, l.from_ext, l.to_ext");

// Every page under q/ -> the entry a reader lands on (redirects
// followed, through the page's canonical link).
const land = new Map();
function walk(dir, rel) {
	for (const e of readdirSync(join(dir, rel))) {
		const r = rel + "/" + e;
		if (statSync(join(dir, r)).isDirectory()) walk(dir, r);
		else if (e === "index.html") {
			const m = readFileSync(join(dir, r), "utf8").match(/<link rel="canonical" href="[^"]*\/q\/([^/]+)\/(\d+)\//);
			const k = r.match(/^\/?q\/([^/]+)\/(\d+)\//);
			if (m && k) land.set(`${k[1]}:${k[2]}`, `${m[1]}:${m[2]}`);
		}
	}
}
walk(SITE, "q");
const entries = new Set([...land.values()]);
const shortOf = new Map(sql(join(OUT, "nd.db"), "SELECT name FROM sources").map(([n]) => [n, null]));
// source short name as the site uses it (data-id prefix)
function sid(src, id) {
	for (const k of [...land.keys()]) if (k.endsWith(":" + id) && src.startsWith(k.split(":")[0])) return k.split(":")[0] + ":" + id;
	return short(src) + ":" + id;
}
const Q = pairs.map(([src, a, b, title]) => ({ src, dup: sid(src, a), want: sid(src, b), title }))
	.filter((p) => entries.has(p.want));

function rr(ids, p) {
	const l = ids.filter((x) => x !== p.dup).slice(0, 10);
	const i = l.indexOf(p.want);
	return i < 0 ? 0 : 1 / (i + 1);
}
const hit = (ids, p) => (rr(ids, p) > 0 ? 1 : 0);

// C: faqtory search --entries over the built site.
// (A faqtory without --entries, as the baseline of a comparison: none.)
function cSite(p) {
	try {
		const r = JSON.parse(execFileSync(FAQ, ["search", "--db", join(OUT, "nd.db"), "--json", "--limit", "11", "--entries", SITE, "--", p.title],
			{ encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
		return r.results.map((x) => land.get(x.entry) || x.entry);
	} catch { return []; }
}

// C: faqtory search --any over the store (as bench/eval.py's baseline).
function cIds(p, entriesOnly) {
	const r = JSON.parse(execFileSync(FAQ, ["search", "--db", join(OUT, "nd.db"), "--json", "--any", "--limit", "40", "--", p.title], { encoding: "utf8" }));
	let ids = r.results.map((x) => sid(x.source, x.id));
	if (entriesOnly) ids = ids.filter((x) => entries.has(x));
	return ids;
}

// The client in Node over the site's files.
let bytes = 0;
const engine = () => new S.Engine(async (path, kind) => {
	const b = readFileSync(join(SITE, path.replace(/\?.*/, "")));
	bytes += b.length;
	return kind === "bin" ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : b.toString("utf8");
});
S.parseUnicode(readFileSync(join(SITE, "assets/search-unicode.txt"), "utf8"));
async function jsIds(e, p) {
	const r = await e.search(p.title, 11);
	return Promise.all(r.hits.map((h) => e.doc(h.id).then((d) => d[1])));
}

// Sums per site and pooled: MRR (m.*) and recall@10 (r.*).
const zero = () => ({ n: 0, any: 0, site: 0, js: 0, pf: 0, browser: 0, rsite: 0, rpf: 0, rbrowser: 0 });
const mrr = zero();
const perSite = {};
function add(p, key, ids) {
	const s = (perSite[p.src] ||= zero());
	for (const o of [s, mrr]) { o[key] += rr(ids, p); if ("r" + key in o) o["r" + key] += hit(ids, p); }
}
const e1 = engine();
for (const p of Q) {
	(perSite[p.src] ||= zero()).n++;
	mrr.n++;
	add(p, "any", cIds(p, false));
	p.site = cSite(p);
	add(p, "site", p.site);
	add(p, "js", await jsIds(e1, p));
}

// Pagefind and the cost, in chromium.
function serve(dir) {
	return new Promise((resolve, reject) => {
		const proc = spawn(FAQ, ["serve", "--port", "0", dir], { stdio: ["ignore", "pipe", "pipe"] });
		let o = "";
		proc.stdout.on("data", (d) => { o += d; const m = o.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/); if (m) resolve({ url: m[1], proc }); });
		proc.on("exit", (c) => reject(new Error(`serve exited ${c}`)));
	});
}
const ours = await serve(SITE), pf = await serve(PF);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
	args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });

// Pagefind's own API for the ranking (the UI shows the same order).
{
	const page = await browser.newPage();
	await page.goto(pf.url + "pf.html");
	await page.evaluate(async () => { window.pfa = await import("/pagefind/pagefind.js"); await window.pfa.init(); });
	for (const p of Q) {
		const urls = await page.evaluate(async (q) => {
			const r = await window.pfa.search(q);
			return Promise.all(r.results.slice(0, 12).map((x) => x.data().then((d) => d.url)));
		}, p.title);
		const ids = urls.map((u) => { const m = u.match(/\/q\/([^/]+)\/(\d+)\//); return m ? land.get(`${m[1]}:${m[2]}`) || `${m[1]}:${m[2]}` : u; });
		add(p, "pf", [...new Set(ids)]);
	}
	await page.close();
}

// Bytes (response bodies as transferred, from the network events) and
// time from navigation to the first results, one cold page per query;
// ours for every query (its results are the browser's MRR), Pagefind's
// for the first 50.
const pct = (v, q) => { const a = [...v].sort((x, y) => x - y); return a.length ? a[Math.min(a.length - 1, Math.ceil(q * a.length) - 1)] : 0; };
async function cost(base, path, isDone, filter, qs, ranked) {
	const kb = [], kbz = [], ms = [];
	for (const p of qs) {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		let b = 0, bz = 0;
		page.on("requestfinished", async (r) => {
			if (!filter(r.url())) return;
			const s = await r.sizes();
			/* as transferred (the encoded body), and uncompressed */
			b += s.responseBodySize + s.responseHeadersSize;
			const body = await (await r.response())?.body().catch(() => null);
			bz += (body ? body.length : s.responseBodySize) + s.responseHeadersSize;
		});
		const t0 = Date.now();
		await page.goto(base + path + encodeURIComponent(p.title));
		await page.waitForFunction(isDone, p.title, { timeout: 30000 }).catch(() => {});
		ms.push(Date.now() - t0);
		if (ranked) {
			/* MRR in the browser itself: the results the page shows. */
			const ids = await page.$$eval("[data-result]", (as) => as.map((a) => a.dataset.id));
			p.browser = [...new Set(ids.map((i) => land.get(i) || i))];
			add(p, "browser", p.browser);
		}
		await page.waitForTimeout(50);
		kb.push(b / 1024);
		kbz.push(bz / 1024);
		await ctx.close();
	}
	return { kb50: pct(kb, 0.5), kb95: pct(kb, 0.95), kbz50: pct(kbz, 0.5), kbz95: pct(kbz, 0.95), ms50: pct(ms, 0.5), ms95: pct(ms, 0.95) };
}
const costOurs = await cost(ours.url, "search/?q=", (q) => document.getElementById("results").getAttribute("data-done") === q,
	(u) => /\/(assets\/search|search\/(meta|t|d|r)\b)/.test(u), Q, true);
const costPf = await cost(pf.url, "pf.html?q=", () => document.querySelector(".pagefind-ui__result-link") !== null ||
	/No results/.test(document.body.textContent), (u) => /\/(pagefind\/|pf\.js)/.test(u), Q.slice(0, 50));
await browser.close();
ours.proc.kill();
pf.proc.kill();

function du(dir) {
	let n = 0;
	for (const e of readdirSync(dir)) { const f = join(dir, e); const s = statSync(f); n += s.isDirectory() ? du(f) : s.size; }
	return n;
}
const costTxt = Object.fromEntries(readFileSync(join(OUT, "cost.txt"), "utf8").split("\n").filter(Boolean).map((l) => l.split(" ")));
const oursBytes = du(join(SITE, "search")) + statSync(join(SITE, "assets/search.js")).size + statSync(join(SITE, "assets/search-unicode.txt")).size;
const pfBytes = du(join(PF, "pagefind"));
const n = Q.length, f = (x, k) => (x / k).toFixed(3);
const same = Q.filter((p) => JSON.stringify(p.site.slice(0, 10)) === JSON.stringify((p.browser || []).slice(0, 10))).length;
let txt = `pairs whose canonical question is an entry of the site: ${n} (of ${pairs.length})\n\n`;
txt += "| site | pairs | C --entries MRR | R@10 | browser MRR | R@10 | Node MRR | Pagefind MRR | R@10 | C --any (all threads) |\n|---|---|---|---|---|---|---|---|---|---|\n";
const row = (name, v) => `| ${name} | ${v.n} | ${f(v.site, v.n)} | ${f(v.rsite, v.n)} | ${f(v.browser, v.n)} | ${f(v.rbrowser, v.n)} | ${f(v.js, v.n)} | ${f(v.pf, v.n)} | ${f(v.rpf, v.n)} | ${f(v.any, v.n)} |\n`;
for (const [s, v] of Object.entries(perSite).sort()) txt += row(s, v);
txt += row("pooled", mrr) + "\n";
txt += `same top 10 in C --entries and the browser: ${same} of ${n} queries\n\n`;
txt += "| cost | static search | Pagefind 1.6 |\n|---|---|---|\n";
txt += `| index build (ms) | ${(+costTxt.searchdata_ms) + (+costTxt.shards_ms)} (index stage ${costTxt.searchdata_ms} + render ${costTxt.shards_ms}) | ${costTxt.pagefind_ms} (peak ${(costTxt.pagefind_peak_kb / 1024).toFixed(0)} MB) |\n`;
txt += `| index bytes | ${(oursBytes / 1024).toFixed(0)} KB | ${(pfBytes / 1024).toFixed(0)} KB |\n`;
txt += `| KB transferred per cold query, median (${n} queries; Pagefind: 50) | ${costOurs.kb50.toFixed(1)} | ${costPf.kb50.toFixed(1)} |\n`;
txt += `| KB transferred per cold query, 95th percentile | ${costOurs.kb95.toFixed(1)} | ${costPf.kb95.toFixed(1)} |\n`;
txt += `| KB per cold query uncompressed, median | ${costOurs.kbz50.toFixed(1)} | ${costPf.kbz50.toFixed(1)} |\n`;
txt += `| KB per cold query uncompressed, 95th percentile | ${costOurs.kbz95.toFixed(1)} | ${costPf.kbz95.toFixed(1)} |\n`;
txt += `| ms to first results, median | ${costOurs.ms50} | ${costPf.ms50} |\n`;
txt += `| ms to first results, 95th percentile | ${costOurs.ms95} | ${costPf.ms95} |\n`;
txt += `| search.js gzipped | ${gzipSync(readFileSync(join(SITE, "assets/search.js")), { level: 9 }).length} bytes | |\n`;
writeFileSync(join(OUT, "report.md"), txt);
process.stdout.write(txt);
