// Browser checks of the writers' report on two shared sites (beer and
// cardano, built with `faqtory build --report`): the weekly brief, a
// category page and a recurring issue's page at 360 and 1280 px, light
// and dark: zero axe violations, no horizontal overflow, nothing fetched
// off the report, and every link resolving (a report page, a file of the
// public site, or the source's own thread URL); and the mailable
// brief.html with every remote request blocked: styled by its inline
// stylesheet, the same text as index.html.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { FAQ, launch, serve } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const DATA = resolve(process.env.SHARED || "../shared", "data");
const BASE = "https://faq.example.com/";
const tmp = mkdtempSync(join(tmpdir(), "faqtory-report-"));
const SITES = { beer: "beer.stackexchange.com", cardano: "cardano.stackexchange.com" };
let browser;
const served = {};

function build(name) {
	const ini = join(tmp, `${name}.ini`);
	writeFileSync(ini, ["[site]", `base_url = ${BASE}`, "content_license = CC BY-SA 4.0",
		"[build]", `db = ${name}.db`, `out = ${name}`, `report = ${name}.report`,
		`source = ${join(DATA, SITES[name])}`, ""].join("\n"));
	execFileSync(FAQ, ["build", "--quiet", "--config", ini], { stdio: ["ignore", "ignore", "pipe"] });
}

before(async () => {
	for (const name of Object.keys(SITES)) {
		build(name);
		served[name] = { site: await serve(join(tmp, name)), report: await serve(join(tmp, `${name}.report`)) };
	}
	browser = await launch();
});

after(async () => {
	await browser?.close();
	for (const s of Object.values(served)) {
		s.site.proc.kill();
		s.report.proc.kill();
	}
	rmSync(tmp, { recursive: true, force: true });
});

async function open(url, opts = {}) {
	const ctx = await browser.newContext({ viewport: { width: opts.width || 1280, height: 900 },
		colorScheme: opts.scheme || "light" });
	const page = await ctx.newPage();
	page.problems = [];
	const origin = new URL(url).origin;
	page.on("console", (m) => { if (m.type() === "error") page.problems.push(`console: ${m.text()}`); });
	page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
	page.on("request", (r) => {
		if (!r.url().startsWith(origin)) page.problems.push(`request left the report: ${r.url()}`);
	});
	await page.goto(url);
	return { ctx, page };
}

async function axe(page) {
	await page.evaluate(AXE);
	return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] }))
		.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`));
}

// Every link of the page: a report page answers 200, a link into the
// public site is served by the site, a source thread is that source's.
async function links(page, name) {
	const hrefs = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.href));
	const bad = [];
	const host = new URL(`https://${SITES[name]}/`).host;
	for (const h of new Set(hrefs)) {
		const u = new URL(h);
		let target = null;
		if (h.startsWith(BASE)) target = served[name].site.url + h.slice(BASE.length).split("#")[0];
		else if (u.origin === new URL(served[name].report.url).origin) target = h.split("#")[0];
		else if (u.host !== host || !/^\/(questions|q|a)\/\d+/.test(u.pathname)) bad.push(`off: ${h}`);
		if (target) {
			const r = await page.request.get(target, { maxRedirects: 0 });
			if (r.status() !== 200) bad.push(`${r.status()} ${h}`);
		}
	}
	return { bad, n: hrefs.length };
}

// The three pages of a site's report: the brief, the category its
// brief lists first (else any), the issue it lists first (else any).
async function pages(name) {
	const base = served[name].report.url;
	const { ctx, page } = await open(base);
	const cat = await page.locator('#rising + ol a, #falling + ol a').first().getAttribute("href")
		.catch(() => null);
	const iss = await page.locator('a[href^="issue/"]').first().getAttribute("href").catch(() => null);
	await ctx.close();
	const flags = readFileSync(join(tmp, `${name}.report`, "flags.html"), "utf8");
	const anyIssue = (flags.match(/href="(issue\/\d+\/)"/) || [])[1];
	return [base, base + (cat || "tag/"), base + (iss || anyIssue)];
}

for (const name of Object.keys(SITES)) {
	test(`${name}: brief, category and issue pages at 360 and 1280 px, light and dark`, async () => {
		const urls = await pages(name);
		for (const url of urls)
			for (const width of [360, 1280])
				for (const scheme of ["light", "dark"]) {
					const { ctx, page } = await open(url, { width, scheme });
					const where = `${url} ${width}px ${scheme}`;
					assert.deepEqual(await axe(page), [], where);
					const sw = await page.evaluate(() => document.documentElement.scrollWidth);
					assert.ok(sw <= width, `${where}: scrollWidth ${sw}`);
					assert.equal(await page.locator("script").count(), 0, where);
					if (width === 360 && scheme === "light") {
						const { bad, n } = await links(page, name);
						assert.deepEqual(bad, [], `${where}: ${n} links`);
						assert.ok(n > 3, `${where}: ${n} links`);
					}
					assert.deepEqual(page.problems, [], where);
					await ctx.close();
				}
	});

	test(`${name}: brief.html with remote content blocked is the brief, styled inline`, async () => {
		const base = served[name].report.url;
		const ctx = await browser.newContext({ viewport: { width: 360, height: 900 } });
		const blocked = [];
		await ctx.route("**/*", (r) => {
			if (r.request().url() === `${base}brief.html`) return r.continue();
			blocked.push(r.request().url());
			return r.abort();
		});
		const page = await ctx.newPage();
		await page.goto(`${base}brief.html`);
		const mail = await page.locator("main").innerText();
		const style = await page.evaluate(() => [getComputedStyle(document.body).maxWidth,
			getComputedStyle(document.querySelector("ul.picker")).display]);
		const sw = await page.evaluate(() => document.documentElement.scrollWidth);
		await ctx.close();
		const { ctx: c2, page: p2 } = await open(base, { width: 360 });
		const web = await p2.locator("main").innerText();
		const webStyle = await p2.evaluate(() => [getComputedStyle(document.body).maxWidth,
			getComputedStyle(document.querySelector("ul.picker")).display]);
		await c2.close();
		assert.deepEqual(blocked, [], "brief.html asked for nothing");
		assert.equal(mail, web);
		assert.deepEqual(style, webStyle);
		assert.deepEqual(style[1], "flex");
		assert.ok(sw <= 360, `scrollWidth ${sw}`);
		assert.ok(readFileSync(join(tmp, `${name}.report`, "brief.html")).length < 100 * 1024);
	});
}
