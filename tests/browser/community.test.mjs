// Browser check of a community-answer entry and of a top-voted one
// (issue 12): at 360 px and 1280 px, in the light and the dark scheme,
// its heading and the line saying why it was chosen are visible, the
// page has no axe violation, no horizontal scroll and asks nothing of
// another site.
// Builds eosio.meta (shared data) with `faqtory build`; the selection
// the index makes (answer_choice) is then set by SQL, as in
// tests/e2e/community.sh, so that the entry is known, and rendered.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { FAQ, launch, serve } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const DATA = resolve(process.env.SHARED || "../shared", "data");
const tmp = mkdtempSync(join(tmpdir(), "faqtory-community-"));
// kind: [question, answer, heading, reason line]
const KINDS = {
	community: ["1", "8", "Community answer",
		"Not marked accepted by the asker; highest score of 5 answers, 5 against 4; the asker thanked its author."],
	voted: ["15", "19", "Top-voted answer, not confirmed",
		"Not marked as the solution, and the votes do not settle it; highest score of 6 answers, 8 against 4; compare the other answers below."],
};
const entry = {};
let browser, site;

// Question 1 of eosio.meta: five answers, none accepted; answer 8 scores
// 5 against 4 and the asker thanked its author.  Question 15: six
// answers, 19 tops them with 8 against 4 but the model is unsure (0.5):
// the top-voted answer, not confirmed.  The threshold is the default
// (0.77), not the one the index calibrated on this small site.  (The table is created
// if absent only so that a faqtory from before it fails on what it
// shows, not on the SQL.)
const CHOOSE = `CREATE TABLE IF NOT EXISTS answer_choice(thread_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, post_ext INTEGER, confidence REAL NOT NULL, gate INTEGER NOT NULL, score INTEGER, next_score INTEGER, nanswers INTEGER NOT NULL, thanks INTEGER NOT NULL, self_fix INTEGER NOT NULL, staff INTEGER NOT NULL) WITHOUT ROWID;
DELETE FROM answer_choice;
INSERT INTO answer_choice SELECT id, 'accepted', accepted_ext, 1, 1, NULL, NULL, 1, 0, 0, 0
  FROM threads WHERE accepted_ext IS NOT NULL;
INSERT INTO answer_choice SELECT id, 'community', 8, 0.9, 1, 5, 4, 5, 1, 0, 0
  FROM threads WHERE ext_id = 1;
INSERT INTO answer_choice SELECT id, 'community', 19, 0.5, 1, 8, 4, 6, 0, 0, 0
  FROM threads WHERE ext_id = 15;
DELETE FROM index_meta WHERE key = 'answer_threshold';`;

before(async () => {
	const ini = join(tmp, "faqtory.ini");
	writeFileSync(ini, ["[site]", "title = Community answers", "[build]", "db = site.db", "out = site",
		`source = ${join(DATA, "eosio.meta.stackexchange.com")}`, ""].join("\n"));
	const quiet = { stdio: ["ignore", "ignore", "pipe"] };
	execFileSync(FAQ, ["build", "--quiet", "--config", ini], quiet);
	execFileSync("sqlite3", [join(tmp, "site.db"), CHOOSE], quiet);
	execFileSync(FAQ, ["render", "--quiet", "--config", ini, "--out", join(tmp, "out")], quiet);
	for (const [kind, [q]] of Object.entries(KINDS)) {
		const dir = readdirSync(join(tmp, "out", "q", "eosio.meta", q), { withFileTypes: true })
			.find((d) => d.isDirectory()).name;
		entry[kind] = `q/eosio.meta/${q}/${dir}/`;
	}
	site = await serve(join(tmp, "out"));
	browser = await launch();
});

after(async () => {
	await browser?.close();
	site?.proc?.kill();
	rmSync(tmp, { recursive: true, force: true });
});

for (const [kind, [, aid, heading, reason]] of Object.entries(KINDS)) for (const scheme of ["light", "dark"]) {
	for (const width of [360, 1280]) {
		test(`${kind} answer at ${width} px, ${scheme}: heading and reason visible, no axe violation`, async () => {
			const ctx = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
			const page = await ctx.newPage();
			const off = [], errors = [];
			page.on("request", (r) => { if (!r.url().startsWith(site.url)) off.push(r.url()); });
			page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
			await page.goto(site.url + entry[kind]);
			const sec = page.locator(`section[data-answer-kind="${kind}"]`);
			assert.equal(await sec.count(), 1);
			assert.equal(await sec.getAttribute("data-answer-id"), aid);
			const h = sec.locator("h2");
			assert.equal(await h.innerText(), heading);
			assert.ok(await h.isVisible());
			const why = sec.locator("p.why");
			assert.equal(await why.innerText(), reason);
			assert.ok(await why.isVisible());
			// Both fit the width: nothing cut off or scrolled sideways.
			for (const el of [h, why]) {
				const b = await el.boundingBox();
				assert.ok(b && b.x >= 0 && b.x + b.width <= width, `${width}px: ${JSON.stringify(b)}`);
			}
			const w = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(w <= width, `${w}px wide`);
			assert.equal(await page.locator("section.accepted").count(), 0);
			const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
			assert.equal(bg === "rgb(255, 255, 255)", scheme === "light", `${scheme} background ${bg}`);
			await page.evaluate(AXE);
			const v = await page.evaluate(async () =>
				(await window.axe.run(document, { resultTypes: ["violations"] })).violations
					.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`));
			assert.deepEqual(v, []);
			assert.deepEqual(off, []);
			assert.deepEqual(errors, []);
			await ctx.close();
		});
	}
}
