// The typo set of bench/search.sh (run that, not this): misspellings
// made from the bench site's own words, one per entry, of seven kinds
// (first letter changed, first two swapped, a middle letter changed, the
// last letter changed, two middle letters swapped, a letter doubled, a
// letter dropped), 8 entries each, spread over the sites.  The query is
// the two rarest words of the entry's title (a-z, 5+ letters), the
// rarest one misspelled (and never a word of the site itself); counted:
// the entry in the top 3 of `faqtory search --entries` and of the page
// in chromium, and (control) the same queries spelled right.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const S = require("../site-template/search.js");
const [FAQ, OUT] = process.argv.slice(2);
const SITE = join(OUT, "site");
const e = new S.Engine(async (path, kind) => {
	const b = readFileSync(join(SITE, path.replace(/\?.*/, "")));
	return kind === "bin" ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : b.toString("utf8");
});
await e.init();

const other = (c) => [..."etaoinshrdlu"].find((x) => x !== c);
const kinds = [
	["first letter", (w) => other(w[0]) + w.slice(1)],
	["first two swapped", (w) => w[1] + w[0] + w.slice(2)],
	["middle letter", (w) => { const i = w.length >> 1; return w.slice(0, i) + other(w[i]) + w.slice(i + 1); }],
	["last letter", (w) => w.slice(0, -1) + other(w[w.length - 1])],
	["middle swapped", (w) => { const i = w.length >> 1; return w.slice(0, i - 1) + w[i] + w[i - 1] + w.slice(i + 1); }],
	["letter doubled", (w) => { const i = w.length >> 1; return w.slice(0, i) + w[i] + w.slice(i); }],
	["letter dropped", (w) => { const i = w.length >> 1; return w.slice(0, i) + w.slice(i + 1); }],
];
const df = async (w) => { const m = await e.resolve({ t: w }); return m.length ? m[0].post.df : 0; };

const docs = [];
for (const g of readdirSync(join(SITE, "search/d")).sort((a, b) => parseInt(a) - parseInt(b)))
	for (const d of JSON.parse(readFileSync(join(SITE, "search/d", g), "utf8"))) docs.push(d);
// TYPOS names a set written by an earlier run (to compare two builds
// on the same misspellings); otherwise the set is made and written.
const cases = process.env.TYPOS && existsSync(process.env.TYPOS) ? JSON.parse(readFileSync(process.env.TYPOS, "utf8")) : [];
for (let i = 0, k = 0; !process.env.TYPOS && i < docs.length && cases.length < 8 * kinds.length; i += 3) {
	const d = docs[i];
	const ws = [];
	for (const t of S.tokenize(d[3])) if (/^[a-z]{5,}$/.test(t.t) && !e.stop.has(t.t) && !ws.some((x) => x.t === t.t)) ws.push({ t: t.t, df: await df(t.t) });
	ws.sort((a, b) => a.df - b.df || (a.t < b.t ? -1 : 1));
	if (ws.length < 2 || ws[0].df === 0) continue;
	const [name, f] = kinds[k % kinds.length];
	const typo = f(ws[0].t);
	if (typo === ws[0].t || (await df(typo)) > 0 || (await e.resolve({ t: typo, prefix: false })).length) continue;
	cases.push({ kind: name, id: d[1], q: `${typo} ${ws[1].t}`, right: `${ws[0].t} ${ws[1].t}`, word: ws[0].t });
	k++;
}

if (!process.env.TYPOS) writeFileSync(join(OUT, "typos.json"), JSON.stringify(cases));
function top3(q) {
	try {
		return JSON.parse(execFileSync(FAQ, ["search", "--db", join(OUT, "nd.db"), "--json", "--limit", "3", "--entries", SITE, "--", q],
			{ encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })).results.map((x) => x.entry);
	} catch { return []; } /* a faqtory without --entries */
}
const proc = spawn(FAQ, ["serve", "--port", "0", SITE], { stdio: ["ignore", "pipe", "pipe"] });
const url = await new Promise((res) => { let o = ""; proc.stdout.on("data", (d) => { o += d; const m = o.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/); if (m) res(m[1]); }); });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
const page = await browser.newPage();
async function shown(q) {
	await page.goto(url + "search/?q=" + encodeURIComponent(q));
	await page.waitForFunction((v) => document.getElementById("results").getAttribute("data-done") === v, q, { timeout: 30000 }).catch(() => {});
	return (await page.$$eval("[data-result]", (as) => as.map((a) => a.dataset.id))).slice(0, 3);
}
const by = {};
const tot = { n: 0, c: 0, b: 0, rc: 0, rb: 0 };
const miss = [];
for (const p of cases) {
	const c = top3(p.q).includes(p.id), b = (await shown(p.q)).includes(p.id);
	const rc = top3(p.right).includes(p.id), rb = (await shown(p.right)).includes(p.id);
	for (const o of [(by[p.kind] ||= { n: 0, c: 0, b: 0, rc: 0, rb: 0 }), tot]) { o.n++; o.c += c; o.b += b; o.rc += rc; o.rb += rb; }
	if (!c || !b) miss.push(`${p.q} (${p.word}, ${p.id}): C ${c ? "top 3" : "missed"}, browser ${b ? "top 3" : "missed"}`);
}
await browser.close();
proc.kill();
const pc = (x, n) => `${x}/${n} (${(100 * x / n).toFixed(0)}%)`;
let txt = `typo set: ${tot.n} misspellings of the bench site's words; entry in the top 3\n\n`;
txt += "| kind | n | C --entries | browser | spelled right: C | browser |\n|---|---|---|---|---|---|\n";
for (const [k] of kinds) if (by[k]) txt += `| ${k} | ${by[k].n} | ${pc(by[k].c, by[k].n)} | ${pc(by[k].b, by[k].n)} | ${pc(by[k].rc, by[k].n)} | ${pc(by[k].rb, by[k].n)} |\n`;
txt += `| all | ${tot.n} | ${pc(tot.c, tot.n)} | ${pc(tot.b, tot.n)} | ${pc(tot.rc, tot.n)} | ${pc(tot.rb, tot.n)} |\n\n`;
txt += miss.map((m) => `- ${m}\n`).join("");
process.stdout.write(txt);
