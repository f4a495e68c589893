#!/usr/bin/env node
// Benchmark the instant preview in Chromium: from the end of a save of a page's Markdown to the
// new text in the open page's DOM, through `handbook serve`, the event stream and the in-place
// swap (or the full reload for a stylesheet change, with --reload).
//
// Usage: node scripts/bench_preview.mjs [--pages 1000] [--edits 30] [--reload]
//   HANDBOOK_BIN   the binary (default: target/release/handbook, built if missing)
//   CHROMIUM       the browser (default: chromium on PATH)
// Needs `npm ci` (playwright-core). Prints the figures; exits 1 if a save never showed.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromiumPath, handbookBinary, ROOT, syntheticSite } from "./lib/browser_tools.mjs";

const { chromium } = createRequire(join(ROOT, "package.json"))("playwright-core");
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const pages = arg("--pages", 1000), edits = arg("--edits", 30), reload = process.argv.includes("--reload");
const binary = handbookBinary();
const source = syntheticSite(pages);
const work = mkdtempSync(join(tmpdir(), "handbook-bench-preview."));
const site = join(work, "site");
cpSync(source, site, { recursive: true });
const page = join(site, "content/area-01/section-01/page-002.md");
const original = readFileSync(page, "utf8");
mkdirSync(join(site, "static"), { recursive: true });

const server = spawn(binary, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
const url = await new Promise((ok, fail) => {
  let out = "";
  server.stdout.on("data", (d) => { out += d; const m = /http:\/\/\S+?\//.exec(out); if (m) ok(m[0]); });
  server.on("exit", () => fail(new Error("handbook serve exited")));
});
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
const times = [];
try {
  const tab = await browser.newPage();
  await tab.goto(`${url}area-01/section-01/page-002/`);
  await tab.waitForFunction(() => window.__handbookLive);
  await tab.waitForTimeout(300); // the event stream is open
  for (let n = 1; n <= edits; n++) {
    const marker = `preview-marker-${n}`;
    // In the page: the wall-clock time at which the marker first appears (checked on every
    // DOM change, so the figure does not depend on a polling interval).
    await tab.evaluate((m) => {
      window.__seen = null;
      const seen = () => { if (window.__seen === null && document.body.textContent.includes(m)) window.__seen = Date.now(); };
      new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
      document.addEventListener("DOMContentLoaded", seen);
    }, marker);
    if (reload) writeFileSync(join(site, "static", "bench.css"), `/* ${n} */`);
    const saved = Date.now();
    writeFileSync(page, original.replace("\n\n", `\n\n${marker}\n\n`));
    let shown;
    try {
      // A reload replaces the document (and its observer): then the load itself is the moment.
      shown = await tab.waitForFunction((m) => window.__seen || (!("__seen" in window) && document.body && document.body.textContent.includes(m) ? Date.now() : 0), marker, { timeout: 10000, polling: "raf" });
    } catch (e) {
      console.error(`save ${n}: the new text never showed`);
      process.exitCode = 1;
      break;
    }
    times.push((await shown.jsonValue()) - saved);
    await tab.waitForTimeout(150); // separate bursts for the watcher
  }
} finally {
  await browser.close();
  server.kill();
  rmSync(work, { recursive: true, force: true });
}
if (times.length) {
  const sorted = [...times].sort((a, b) => a - b), at = (p) => sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))];
  console.log(`save → new text in the DOM (${reload ? "full reload: a stylesheet changed too" : "content swapped in place"}), ${pages} pages, ${times.length} saves, Chromium:`);
  console.log(`  median ${at(50)} ms   p90 ${at(90)} ms   min ${sorted[0]} ms   max ${sorted[sorted.length - 1]} ms`);
}
