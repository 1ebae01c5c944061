// One tokenization: the search client's tokenizer (site-template/search.js,
// in Node) against every vector in tests/vectors/.  The client does not
// stem: it looks each plain word up in the word forms the index stage
// stored (search_forms), so the vectors' texts are indexed first by
// ./faqtory, one store per language list, and the client's tokens go
// through those forms exactly as they would through a shard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { FAQ } from "./lib.mjs";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const S = require("../../site-template/search.js");
S.parseUnicode(readFileSync("site-template/search-unicode.txt", "utf8"));
const LANG = { english: "english", id: "indonesian", indonesian: "indonesian", russian: "russian", none: "none" };

const vectors = [];
for (const f of readdirSync("tests/vectors").filter((f) => f.endsWith(".jsonl")).sort())
	readFileSync(join("tests/vectors", f), "utf8").split("\n").forEach((l, i) => {
		if (l.trim()) vectors.push({ file: `${f}:${i + 1}`, ...JSON.parse(l) });
	});

const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const attr = (s) => esc(s).replace(/"/g, "&quot;").replace(/\n/g, "&#xA;");

// The C side's word forms for texts indexed with language list `lang`.
function forms(lang, texts) {
	const tmp = mkdtempSync(join(tmpdir(), "faqtory-vec-"));
	try {
		const dir = join(tmp, "vectors.stackexchange.com");
		mkdirSync(dir);
		const rows = texts.map((t, i) => `<row Id="${i + 1}" PostTypeId="1" CreationDate="2020-01-01T00:00:00.000" Score="0" Title="v${i + 1}" Body="${attr("<p>" + esc(t) + "</p>")}" />`);
		writeFileSync(join(dir, "Posts.xml"), `\ufeff<?xml version="1.0" encoding="utf-8"?>\n<posts>\n${rows.join("\n")}\n</posts>\n`);
		const db = join(tmp, "v.db");
		execFileSync(FAQ, ["ingest", "--quiet", "--db", db, ...(lang ? ["--lang", lang] : []), dir]);
		execFileSync(FAQ, ["index", "--quiet", "--db", db]);
		const out = execFileSync("sqlite3", ["-separator", "\t", db, "SELECT form, term FROM search_forms"], { encoding: "utf8" });
		return new Map(out.split("\n").filter(Boolean).map((l) => l.split("\t")));
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
}

test("the client tokenizes every vector as the C tokenizer does (query mode, stems through the forms)", () => {
	const byLang = new Map();
	for (const v of vectors) {
		const l = LANG[v.lang];
		assert.ok(l, `${v.file}: language ${v.lang} not covered by this test`);
		if (!byLang.has(l)) byLang.set(l, []);
		byLang.get(l).push(v);
	}
	const diffs = [];
	for (const [lang, vs] of byLang) {
		// "none" stems nothing: no word has another form.  (The index
		// never builds such an FTS table: it leaves "none" out of the
		// union of the sources' lists.)
		const fm = lang === "none" ? new Map() : forms(lang, vs.map((v) => v.text));
		for (const v of vs) {
			// Query and prefix modes give one token per position; in
			// document mode the first token of each position is the
			// query-mode token of the same text.
			const want = v.mode === "document" ? v.tokens.map((t) => (Array.isArray(t) ? t[0] : t)) : v.tokens;
			const got = S.tokenize(v.text).map((t) => (v.mode !== "prefix" && t.plain && fm.has(t.t) ? fm.get(t.t) : t.t));
			if (JSON.stringify(got) !== JSON.stringify(want))
				diffs.push(`${v.file} ${v.mode} ${JSON.stringify(v.text)}\n   want ${JSON.stringify(want)}\n   got  ${JSON.stringify(got)}`);
		}
	}
	assert.equal(diffs.length, 0, diffs.join("\n"));
	assert.ok(vectors.length >= 40, `only ${vectors.length} vectors`);
});

test("hostile input: long, punctuation only, lone surrogates, regex metacharacters", () => {
	const inputs = ["x".repeat(10000), "a ".repeat(5000), "!!!???...---", "\ud800 abc \udfff\ud83d", ".*+?^${}()|[]\\/", "", "\u200d\u200c", "é".repeat(300)];
	for (const s of inputs) {
		const toks = S.tokenize(s);
		for (const t of toks) {
			assert.ok(new TextEncoder().encode(t.t).length <= 64 && t.t.length > 0, JSON.stringify(t));
			assert.ok(!/[\ud800-\udfff]/.test(t.t.replace(/[\ud800-\udbff][\udc00-\udfff]/g, "")), "lone surrogate in a token");
		}
	}
	assert.deepEqual(S.tokenize("x".repeat(70)).map((t) => t.t.length), [64, 6]);
});

test("one edit apart", () => {
	const d = (a, b, m) => S.dist(Array.from(a), Array.from(b), m);
	assert.equal(d("recieve", "receive", 1), 1);
	assert.equal(d("brewin", "brewing", 1), 1);
	assert.equal(d("stoutt", "stout", 1), 1);
	assert.equal(d("stout", "stout", 1), 0);
	assert.equal(d("stout", "sprout", 1), 2);
	assert.equal(d("nueral", "neural", 1), 1);
	assert.equal(d("trnasactoin", "transaction", 2), 2);
});
