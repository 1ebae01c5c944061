// Browser check of the curation loop: a writer's Markdown article shows
// in place of the accepted answer, with its writer's credit, sanitized,
// accessible (axe) and with nothing leaving the site; the writers' report
// renders its flags and inline SVG charts with no script at all.
// Builds eosio.meta (shared data) with `faqtory build` and a curation file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { FAQ, launch, serve } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const DATA = resolve(process.env.SHARED || "../shared", "data");
const tmp = mkdtempSync(join(tmpdir(), "faqtory-curation-"));
let browser, site, report;

before(async () => {
	mkdirSync(join(tmp, "articles"));
	writeFileSync(join(tmp, "articles", "a.md"),
		"Edit the question, then **flag** it.\n\n<script>alert(1)</script>\n");
	writeFileSync(join(tmp, "curation.ini"),
		"[eosio.meta:45]\narticle = articles/a.md\nauthor = Jane Writer\n\n[eosio.meta:36]\npin = yes\n");
	writeFileSync(join(tmp, "faqtory.ini"), [
		"[build]", "db = site.db", "out = site", "report = report", "curation = curation.ini",
		`source = ${join(DATA, "eosio.meta.stackexchange.com")}`, ""].join("\n"));
	execFileSync(FAQ, ["build", "--quiet", "--config", join(tmp, "faqtory.ini")],
		{ stdio: ["ignore", "ignore", "pipe"] });
	site = await serve(join(tmp, "site"));
	report = await serve(join(tmp, "report"));
	browser = await launch();
});

after(async () => {
	await browser?.close();
	site?.proc?.kill();
	report?.proc?.kill();
	rmSync(tmp, { recursive: true, force: true });
});

async function open(url) {
	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	const off = [], errors = [];
	page.on("request", (r) => { if (!r.url().startsWith(new URL(url).origin)) off.push(r.url()); });
	page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
	page.on("dialog", (d) => { errors.push("dialog " + d.message()); d.dismiss(); });
	await page.goto(url);
	return { ctx, page, off, errors };
}

test("the writer's article shows in place of the answer, with its credit", async () => {
	const dir = readdirSync(join(tmp, "site", "q", "eosio.meta", "45"))[0];
	const { ctx, page, off, errors } = await open(`${site.url}q/eosio.meta/45/${dir}/`);
	const art = page.locator("section.article");
	assert.equal(await art.count(), 1);
	assert.ok(await art.isVisible());
	assert.match(await art.locator("h2").innerText(), /Answer from our writers/);
	assert.match(await art.innerText(), /Edit the question, then flag it\./);
	assert.equal(await art.locator(".writer .author").innerText(), "Jane Writer");
	assert.ok(await art.locator(".writer").isVisible());
	assert.equal(await page.locator("section.accepted").count(), 0, "the accepted answer is replaced");
	await page.evaluate(AXE);
	const v = await page.evaluate(async () =>
		(await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((x) => x.id));
	assert.deepEqual(v, []);
	assert.deepEqual(off, []);
	assert.deepEqual(errors, []);
	await ctx.close();
});

test("pinned entry first on the home page", async () => {
	const { ctx, page } = await open(site.url);
	const first = page.locator("section.pinned a").first();
	assert.match(await first.getAttribute("href"), /q\/eosio\.meta\/36\//);
	await ctx.close();
});

test("the writers' report: flags, issue pages with SVG charts, accessible, no script", async () => {
	const { ctx, page, off, errors } = await open(report.url);
	assert.match(await page.locator("h1").innerText(), /Weekly brief/);
	await page.locator('a[href$="flags.html"]').first().click();
	await page.waitForLoadState();
	const issue = page.locator('a[href*="issue/"]').first();
	await issue.click();
	await page.waitForLoadState();
	const svg = page.locator('svg[role="img"]').first();
	assert.ok(await svg.isVisible());
	assert.equal(await page.locator("script").count(), 0);
	await page.evaluate(AXE);
	const v = await page.evaluate(async () =>
		(await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((x) => x.id));
	assert.deepEqual(v, []);
	assert.deepEqual(off, []);
	assert.deepEqual(errors, []);
	await ctx.close();
});
