// Browser tests of the static search (issue 5): Playwright driving
// Debian's chromium over sites built by ./faqtory and served by
// `faqtory serve`.  The beer sample for known queries, typos, hostile
// input and keyboard use; tests/fixtures/search.stackexchange.com for
// Telugu, Japanese and Russian.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { FAQ, launch, serve, site } from "./lib.mjs";

const require = createRequire(import.meta.url);
const S = require("../../site-template/search.js");
const tmp = mkdtempSync(join(tmpdir(), "faqtory-search-"));
let browser, beer, i18n;
const problems = [];

// A page that records console errors, page errors, dialogs and any
// request that leaves the site.
async function page(s) {
	const p = await browser.newPage();
	p.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
	p.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
	p.on("dialog", async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
	p.on("request", (r) => { if (!r.url().startsWith(s.url)) problems.push(`request left the site: ${r.url()}`); });
	return p;
}

// Types q into the box and waits for the results of exactly q.
async function search(p, q) {
	await p.fill("#q", q);
	await p.waitForFunction((v) => document.getElementById("results").getAttribute("data-done") === v, q, { timeout: 10000 });
	return p.$$eval("#results a[data-result]", (as) => as.map((a) => a.getAttribute("data-id")));
}

// The site's files through the client's engine, in Node.
function engine(dir) {
	return new S.Engine(async (path, kind) => {
		const b = readFileSync(join(dir, path.replace(/\?.*/, "")));
		return kind === "bin" ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : b.toString("utf8");
	});
}

before(async () => {
	beer = await serve(site(tmp, "beer", "examples/beer.stackexchange.com.7z"));
	i18n = await serve(site(tmp, "i18n", "tests/fixtures/search.stackexchange.com", "russian"));
	browser = await launch();
});

after(async () => {
	await browser?.close();
	beer?.proc?.kill();
	i18n?.proc?.kill();
	rmSync(tmp, { recursive: true, force: true });
});

test("search.js is at most 10 KB gzipped", () => {
	const n = gzipSync(readFileSync("site-template/search.js"), { level: 9 }).length;
	assert.ok(n <= 10240, `${n} bytes`);
});

test("known queries show the expected entry first, typed and through ?q=", async () => {
	const p = await page(beer);
	await p.goto(beer.url + "search/");
	const known = [["milk stout lactose", "beer:69"], ["Is Oyster Stout really made using oysters?", "beer:637"],
		["what is a golden stout", "beer:2161"], ["guinness draught plastic sphere", "beer:6535"]];
	for (const [q, id] of known)
		assert.equal((await search(p, q))[0], id, q);
	await p.goto(beer.url + "search/?q=" + encodeURIComponent("golden stout"));
	await p.waitForSelector("#results a[data-result]");
	assert.equal(await p.$eval("#results a[data-result]", (a) => a.getAttribute("data-id")), "beer:2161");
	assert.match(await p.$eval("#results a[data-result]", (a) => a.getAttribute("href")), /\/q\/beer\/2161\//);
	assert.ok(await p.$eval("#results", (r) => r.querySelectorAll("mark").length > 0), "matched words are marked");
	assert.match(await p.$eval("#results .count", (c) => c.textContent), /^\d+ results?$/);
	await p.close();
});

test("queries in Telugu, Japanese and Russian find their entries", async () => {
	const p = await page(i18n);
	await p.goto(i18n.url + "search/");
	for (const [q, id] of [["పనిచేయడం లేదు", "search:1"], ["ఫోన్‌లో యాప్", "search:1"], ["東京 傘", "search:2"],
		["傘を買える", "search:2"], ["Приложение не работает", "search:3"], ["после обновления", "search:3"]])
		assert.equal((await search(p, q))[0], id, q);
	await p.close();
});

test("hostile queries never run and never throw", async () => {
	const p = await page(beer);
	for (const q of ["<img src=x onerror=alert(1)>", "\"><script>alert(1)</script>", "<svg onload=alert(1)>"]) {
		await p.goto(beer.url + "search/?q=" + encodeURIComponent(q));
		await p.waitForFunction((v) => document.getElementById("results").getAttribute("data-done") === v, q);
		assert.equal(await p.$$eval("#results img, #results script, #results svg", (e) => e.length), 0, q);
		assert.equal(await p.evaluate(() => document.getElementById("q").value), q);
	}
	await p.goto(beer.url + "search/");
	const bad = ["a".repeat(10000), "!?.,;:-_()[]{}".repeat(20), ".*+?^${}()|[]\\/", "(a+)+$", "\\", "\u00ad\u200d"];
	for (const q of bad) await search(p, q);
	// Lone surrogates cannot be typed; set them as a script would.
	await p.evaluate(() => {
		const b = document.getElementById("q");
		b.value = "stout \ud800 lager \udfff";
		b.dispatchEvent(new Event("input"));
	});
	await p.waitForFunction(() => document.getElementById("results").getAttribute("data-done") === "stout \ud800 lager \udfff");
	assert.ok(await p.$$eval("#results a[data-result]", (a) => a.length) > 0);
	await p.close();
	assert.deepEqual(problems, []);
});

test("one typo in the rarest word of ten known titles keeps the entry in the top 3", async () => {
	const e = engine(beer.dir);
	await e.init();
	const groups = readdirSync(join(beer.dir, "search/d")).sort((a, b) => parseInt(a) - parseInt(b));
	const cases = [];
	for (const g of groups) {
		for (const d of JSON.parse(readFileSync(join(beer.dir, "search/d", g), "utf8"))) {
			if (cases.length === 10 || d[0] % 7 !== 0) continue;
			let best = null;
			for (const t of S.tokenize(d[3])) {
				if (!t.plain || !/^[a-z]{6,}$/.test(t.t)) continue;
				const m = await e.resolve({ t: t.t, plain: true });
				const df = m.length ? m[0].post.df : 1e9;
				if (!best || df < best.df) best = { ...t, df };
			}
			if (!best) continue;
			// Change the 4th letter so that the word is not indexed.
			let typo = null;
			for (const c of "qzxjkvwy") {
				const w = best.t.slice(0, 3) + c + best.t.slice(4);
				if (w !== best.t && !(await e.resolve({ t: w, plain: true })).length) { typo = w; break; }
			}
			if (!typo) continue;
			cases.push([d[3].slice(0, best.s) + typo + d[3].slice(best.e), d[1], best.t]);
		}
	}
	assert.equal(cases.length, 10);
	const p = await page(beer);
	await p.goto(beer.url + "search/");
	const miss = [];
	for (const [q, id] of cases) {
		const got = await search(p, q);
		if (!got.slice(0, 3).includes(id)) miss.push(`${q} -> ${got.slice(0, 3)} (want ${id})`);
	}
	assert.deepEqual(miss, []);
	// The line a correction shows.  (Not the last case's: a typo in the
	// middle of a six-letter word, "lamqic", can fall outside both scan
	// windows and go uncorrected; docs/search.md, known limits.)
	await search(p, "mashed potqtoes");
	assert.match(await p.$eval("#results .instead", (e) => e.textContent), /^Showing results for /);
	await p.close();
});

test("a sentence of a dozen words finds the entry it describes first", async () => {
	const p = await page(beer);
	await p.goto(beer.url + "search/");
	const got = await search(p, "how long does an opened bottle of wine last in my fridge");
	assert.equal(got[0], "beer:4937");
	assert.ok((await search(p, "my beer went flat after opening the bottle yesterday what should I do")).length > 0);
	await p.close();
});

test("typos in the first letters, the middle and the end find the entry; the query as typed is offered", async () => {
	const p = await page(beer);
	await p.goto(beer.url + "search/");
	for (const [q, id] of [["tnanins", "beer:7527"], ["annins wine", "beer:7527"], ["hwiskey bourbon difference", "beer:5015"],
		["fremented cider time", "beer:3490"], ["tanins", "beer:7527"], ["tanninss", "beer:7527"]]) {
		const got = await search(p, q);
		assert.ok(got.slice(0, 3).includes(id), `${q} -> ${got.slice(0, 3)}`);
	}
	assert.match(await p.$eval("#results .instead", (e) => e.textContent), /^Showing results for tannins\./);
	await Promise.all([p.waitForFunction(() => !document.querySelector("#results .instead") &&
		document.getElementById("results").getAttribute("data-done") === "tanninss"), p.click("#results .instead a")]);
	assert.equal(await p.$$eval("#results a[data-result]", (a) => a.length), 0, "as typed: no entry has tanninss");
	await p.close();
});

test("stemmed and corrected words are highlighted", async () => {
	const p = await page(beer);
	await p.goto(beer.url + "search/");
	await search(p, "tanins wines");
	const marks = await p.$$eval("#results a[data-result]:first-of-type mark, #results li:first-child mark", (m) => m.map((x) => x.textContent.toLowerCase()));
	assert.ok(marks.includes("tannins"), `corrected: ${marks}`);
	assert.ok(marks.includes("wine"), `stemmed: ${marks}`);
	await search(p, "carbonated beers");
	const all = await p.$$eval("#results mark", (m) => m.map((x) => x.textContent.toLowerCase()));
	assert.ok(all.some((m) => m.startsWith("carbonat") && m !== "carbonated"), `other forms of the stem: ${[...new Set(all)]}`);
	await p.close();
});

test("a result shows its answer's first sentence when the match is in it", async () => {
	const p = await page(beer);
	await p.goto(beer.url + "search/");
	const got = await search(p, "bottles standing upright");
	const i = got.indexOf("beer:6");
	assert.ok(i >= 0 && i < 10, `beer:6 in ${got}`);
	const li = p.locator("#results li").nth(i);
	assert.match(await li.locator(".answer").textContent(), /^Answer: In general, you just want to store your beer bottles standing upright\.$/);
	assert.deepEqual(await li.locator(".answer mark").allTextContents(), ["bottles", "standing", "upright"]);
	await search(p, "what temperature beer");
	assert.equal(await p.locator("#results li .answer").count() < 10, true, "not every result has an answer line");
	await p.close();
});

test("keyboard: / focuses the box, arrows move, Enter opens; empty state lists top topics", async () => {
	const p = await page(beer);
	await p.goto(beer.url + "search/");
	await p.waitForFunction(() => document.getElementById("results").getAttribute("data-done") === "");
	assert.ok(await p.$$eval("#results li a", (a) => a.length) > 0, "top topics");
	await p.click("h1");
	await p.keyboard.press("/");
	assert.equal(await p.evaluate(() => document.activeElement.id), "q");
	await p.keyboard.type("oyster stout");
	await p.waitForFunction(() => document.getElementById("results").getAttribute("data-done") === "oyster stout");
	await p.keyboard.press("ArrowDown");
	await p.keyboard.press("ArrowDown");
	await p.keyboard.press("ArrowUp");
	const href = await p.evaluate(() => document.activeElement.getAttribute("href"));
	assert.match(href, /\/q\/beer\/637\//);
	await Promise.all([p.waitForNavigation(), p.keyboard.press("Enter")]);
	assert.match(p.url(), /\/q\/beer\/637\//);
	await p.close();
});

test("the home page's search box leads to the same results", async () => {
	const p = await page(beer);
	await p.goto(beer.url);
	await p.fill("#q", "golden stout");
	await Promise.all([p.waitForNavigation(), p.press("#q", "Enter")]);
	assert.match(p.url(), /\/search\/\?q=golden\+stout$/);
	await p.waitForSelector("#results a[data-result]");
	assert.equal(await p.$eval("#results a[data-result]", (a) => a.getAttribute("data-id")), "beer:2161");
	await p.close();
	assert.deepEqual(problems, []);
});
