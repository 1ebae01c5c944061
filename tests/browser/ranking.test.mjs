// The ranking vectors (tests/vectors/ranking/) through the browser's
// client, in Node over the beer sample's site files: each query's total,
// corrections and first five entries.  tests/e2e/ranking.sh runs the
// same file against `faqtory search --entries`: one ranking, two places.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { site } from "./lib.mjs";

const require = createRequire(import.meta.url);
const S = require("../../site-template/search.js");
const tmp = mkdtempSync(join(tmpdir(), "faqtory-ranking-"));
let dir;

before(() => { dir = site(tmp, "beer", "examples/beer.stackexchange.com.7z"); });
after(() => rmSync(tmp, { recursive: true, force: true }));

test("the client gives every ranking vector's order", async () => {
	const e = new S.Engine(async (path, kind) => {
		const b = readFileSync(join(dir, path.replace(/\?.*/, "")));
		return kind === "bin" ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : b.toString("utf8");
	});
	S.parseUnicode(readFileSync(join(dir, "assets/search-unicode.txt"), "utf8"));
	const lines = readFileSync("tests/vectors/ranking/beer.jsonl", "utf8").split("\n").filter(Boolean);
	assert.ok(lines.length >= 40);
	const bad = [];
	for (const l of lines) {
		const v = JSON.parse(l);
		const r = await e.search(v.q, 5);
		const top = (await Promise.all(r.hits.map((h) => e.doc(h.id)))).map((d) => d[1]);
		const got = { total: r.total, instead: r.instead, top };
		const want = { total: v.total, instead: v.instead, top: v.top };
		if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${JSON.stringify(v.q)}: got ${JSON.stringify(got)}`);
	}
	assert.deepEqual(bad, []);
});
