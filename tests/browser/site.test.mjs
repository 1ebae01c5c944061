// Browser tests of the static site: Playwright driving Debian's chromium
// (never a downloaded browser), axe-core for accessibility.  Builds the
// beer sample and the XSS fixture with ./faqtory, serves them with
// `faqtory serve` on 127.0.0.1, and checks what a customer's browser sees.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, readdirSync, readFileSync, statSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { FAQ, launch, run, serve, site } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.SCREENSHOTS || "build/screenshots";
const tmp = mkdtempSync(join(tmpdir(), "faqtory-browser-"));
let browser, beer, xss;

function walk(dir, rel = "") {
	const out = [];
	for (const e of readdirSync(join(dir, rel))) {
		const r = rel ? `${rel}/${e}` : e;
		if (statSync(join(dir, r)).isDirectory()) out.push(...walk(dir, r));
		else out.push(r);
	}
	return out;
}

const pageDir = (p) => p.replace(/index\.html$/, "");

// A page with collectors for console errors, dialogs and requests that
// leave the origin.
async function open(ctx, origin) {
	const page = await ctx.newPage();
	page.problems = [];
	page.on("console", (m) => { if (m.type() === "error") page.problems.push(`console: ${m.text()}`); });
	page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
	page.on("dialog", async (d) => { page.problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
	page.on("request", (r) => {
		if (!r.url().startsWith(origin) && !r.url().startsWith("data:"))
			page.problems.push(`request left the site: ${r.url()}`);
	});
	return page;
}

async function axe(page) {
	// CSP forbids inline script tags: evaluate axe's source through the
	// DevTools protocol instead (page.evaluate is not subject to CSP).
	await page.evaluate(AXE);
	const r = await page.evaluate(async () => {
		const res = await window.axe.run(document, { resultTypes: ["violations"] });
		return res.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
	});
	return r;
}

let beerFiles, entry, topic, tag;

before(async () => {
	beer = site(tmp, "beer", "examples/beer.stackexchange.com.7z");
	xss = site(tmp, "xss", "tests/fixtures/xss.stackexchange.com");
	beerFiles = walk(beer);
	// An entry with other answers and comments, a topic, a tag.
	const entries = beerFiles.filter((f) => f.startsWith("q/") && f.endsWith("index.html"));
	entry = entries.find((f) => {
		const t = readFileSync(join(beer, f), "utf8");
		return t.includes("<details") && t.includes('class="comments"') && t.includes("Also asked as");
	}) || entries.find((f) => readFileSync(join(beer, f), "utf8").includes("<details"));
	topic = beerFiles.find((f) => f.startsWith("topic/"));
	tag = beerFiles.find((f) => f.startsWith("tag/"));
	beer = { dir: beer, ...(await serve(beer)) };
	xss = { dir: xss, ...(await serve(xss)) };
	browser = await launch();
	mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
	await browser?.close();
	beer?.proc?.kill();
	xss?.proc?.kill();
	rmSync(tmp, { recursive: true, force: true });
});

test("zero axe violations on home, entry, tag, topic, search results and 404; no console errors; nothing leaves the site", async () => {
	const ctx = await browser.newContext();
	// search: a corrected word, so the "showing results for" note and the
	// as-typed link are checked too
	const urls = ["", pageDir(entry), pageDir(tag), pageDir(topic), "search/?q=tanins%20wines", "no/such/page/"];
	const problems = [];
	for (const u of urls) {
		const page = await open(ctx, beer.url);
		const resp = await page.goto(beer.url + u);
		assert.equal(resp.status(), u.startsWith("no/") ? 404 : 200, u);
		if (u.startsWith("search/"))
			await page.waitForFunction(() => document.querySelector("#results .instead a"));
		const v = await axe(page);
		problems.push(...v.map((x) => `${u || "/"}: ${x}`));
		// The 404 page itself is served with status 404, which chromium
		// logs; anything else is a problem.
		problems.push(...page.problems.filter((x) => !(u.startsWith("no/") && /status of 404/.test(x)))
			.map((x) => `${u || "/"}: ${x}`));
		await page.close();
	}
	await ctx.close();
	assert.deepEqual(problems, []);
});

test("every page has a CSP meta forbidding inline script", async () => {
	const ctx = await browser.newContext();
	const pages = beerFiles.filter((f) => f.endsWith(".html"));
	for (const f of pages) {
		const r = await ctx.request.get(beer.url + pageDir(f));
		const html = await r.text();
		const csp = (html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/) || [])[1] || "";
		assert.match(csp, /script-src 'self'/, f);
		assert.doesNotMatch(csp, /unsafe-inline/, f);
		assert.doesNotMatch(html, /<script>|<script (?!type="application\/ld\+json"|src=)/, f);
	}
	await ctx.close();
});

test("XSS payloads in titles, bodies, tags, authors and comments never run", async () => {
	const ctx = await browser.newContext();
	const page = await open(ctx, xss.url);
	const files = walk(xss.dir).filter((f) => f.endsWith(".html"));
	assert.ok(files.length > 20);
	for (const f of files) {
		// A redirect page (a short URL, a folded thread) navigates away at
		// once: its target is one of the files checked here; the redirect
		// itself must stay on the site.
		const refresh = readFileSync(join(xss.dir, f), "utf8").match(/http-equiv="refresh" content="0; url=([^"]*)"/);
		if (refresh) {
			assert.match(refresh[1], /^\.\.\/[^:]*$/, f);
			continue;
		}
		await page.goto(xss.url + pageDir(f));
		await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
		const pwned = await page.evaluate(() => [typeof window.pwned, typeof window.alert1, document.querySelectorAll("iframe, object, embed, svg[onload], img[onerror]").length]);
		assert.deepEqual(pwned, ["undefined", "undefined", 0], f);
	}
	await page.goto(xss.url + "search/?q=%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E");
	assert.equal(await page.evaluate(() => typeof window.pwned), "undefined");
	assert.deepEqual(page.problems, []);
	await ctx.close();
});

test("360 px wide: no horizontal scroll; screenshots of home and an entry", async () => {
	const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
	const page = await open(ctx, beer.url);
	for (const [u, name] of [["", "home-360"], [pageDir(entry), "entry-360"]]) {
		await page.goto(beer.url + u);
		const w = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(w <= 360, `${u || "/"}: ${w}px wide`);
		await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
	}
	assert.deepEqual(page.problems, []);
	await ctx.close();
});

test("prefers-color-scheme: dark gives a dark page", async () => {
	const ctx = await browser.newContext({ colorScheme: "dark", viewport: { width: 1024, height: 800 } });
	const page = await open(ctx, beer.url);
	await page.goto(beer.url + pageDir(entry));
	const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	const [r, g, b] = bg.match(/\d+/g).map(Number);
	assert.ok(r + g + b < 120, `background ${bg}`);
	await page.screenshot({ path: join(SHOTS, "entry-dark.png") });
	const v = await axe(page);
	assert.deepEqual(v, []);
	await ctx.close();
});

test("browsing works with JavaScript off", async () => {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await open(ctx, beer.url);
	await page.goto(beer.url);
	await page.click('section[aria-labelledby="bt"] .tags a');
	assert.match(page.url(), /\/tag\//);
	await page.click(".list a");
	assert.match(page.url(), /\/q\/beer\/\d+\//);
	assert.equal(await page.locator(".accepted").count(), 1);
	await page.goto(beer.url + pageDir(entry));
	const d = page.locator("details.post").first();
	await d.locator("summary").click();
	assert.equal(await d.evaluate((e) => e.open), true);
	await page.goto(beer.url + "search/?q=ale");
	assert.ok(await page.locator("noscript").count() >= 1);
	assert.match(await page.content(), /tags\//);
	assert.deepEqual(page.problems, []);
	await ctx.close();
});
