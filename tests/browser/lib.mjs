// What the browser tests share: the binary, building a site from a
// source, previewing it with `faqtory serve`, and Debian's chromium.
// (Not a test file: node --test runs only *.test.mjs here.)
import { spawn, execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const FAQ = resolve(process.env.FAQTORY_PLAIN || "./faqtory");

export function run(...args) {
	execFileSync(FAQ, args, { stdio: ["ignore", "ignore", "pipe"] });
}

// Ingests `source` (with the stemmer languages `lang`, if given),
// indexes and renders it into tmp/name; returns the site's folder.
export function site(tmp, name, source, lang) {
	const db = join(tmp, `${name}.db`), out = join(tmp, name);
	run("ingest", "--quiet", "--db", db, ...(lang ? ["--lang", lang] : []), source);
	run("index", "--quiet", "--db", db);
	run("render", "--quiet", "--db", db, "--out", out);
	return out;
}

// Starts `faqtory serve --port 0 DIR`; resolves to {dir, url, proc}.
export function serve(dir) {
	return new Promise((res, rej) => {
		const proc = spawn(FAQ, ["serve", "--port", "0", dir], { stdio: ["ignore", "pipe", "pipe"] });
		let out = "";
		proc.stdout.on("data", (d) => {
			out += d;
			const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
			if (m) res({ dir, url: m[1], proc });
		});
		proc.on("exit", (c) => rej(new Error(`serve exited ${c}`)));
	});
}

// Debian's chromium, never a downloaded browser; no background traffic.
export function launch() {
	return chromium.launch({
		executablePath: "/usr/bin/chromium",
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});
}
