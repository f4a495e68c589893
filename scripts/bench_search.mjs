#!/usr/bin/env node
// Benchmark the theme's search against Pagefind on the synthetic sites of gen_site.py: index
// size, bytes a reader downloads for a query (cold: a fresh page view), and the time from typing
// to results on screen, in Chromium. Both indexes are built from the same handbook output.
//
// Usage: node scripts/bench_search.mjs [1000 10000]
//   HANDBOOK_BIN   the binary (default: target/release/handbook, built if missing)
//   CHROMIUM       the browser (default: chromium on PATH)
//   BENCH_PAGEFIND=0  leave Pagefind out
// Needs `npm ci` (playwright-core, pagefind). Prints a table; exits 1 if a query found nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { chromiumPath, handbookBinary, log, ROOT, serveFolder, syntheticSite } from "./lib/browser_tools.mjs";

const require = createRequire(join(ROOT, "package.json"));
const { chromium } = require("playwright-core");
const given = process.argv.slice(2).map(Number).filter(Boolean);
const sizes = given.length ? given : [1000, 10000];
const QUERIES = ["gitleaks", "signing key", "rotat", "containers guide", "exception approved"];

const binary = handbookBinary();
const work = mkdtempSync(join(tmpdir(), "handbook-bench-search."));

function size(dir) {
  let raw = 0, gz = 0, files = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    files++; raw += bytes.length; gz += gzipSync(bytes).length;
  }
  return { files, raw, gz };
}

// A static server for `dir`, recording the bytes (raw and gzipped) of every file it sends:
// counted after sending, so that the compression is not part of the timings.
async function serve(dir) {
  const sent = [];
  const { server, url } = await serveFolder(dir, {
    onSend: (path, bytes) => {
      const record = { path, raw: bytes.length, gz: 0 };
      sent.push(record);
      setImmediate(() => { record.gz = gzipSync(bytes).length; });
    },
  });
  return { server, sent, url };
}

const kb = (n) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const rows = [];
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
try {
  for (const pages of sizes) {
    const source = syntheticSite(pages);
    const out = join(work, String(pages));
    log(`handbook build (${pages} pages)`);
    execFileSync(binary, ["build", "--root", source, "--output", out], { stdio: ["ignore", "ignore", "inherit"] });
    const tools = [["handbook", size(join(out, "search"))]];
    if (process.env.BENCH_PAGEFIND !== "0") {
      log(`pagefind (${pages} pages)`);
      execFileSync(join(ROOT, "node_modules/.bin/pagefind"), ["--site", out, "--output-subdir", "pagefind", "--silent"], { stdio: "inherit" });
      tools.push(["pagefind", size(join(out, "pagefind"))]);
    }
    const { server, sent, url } = await serve(out);
    try {
      for (const [tool, index] of tools) {
        const times = [], warm = [], full = [], bytes = [], gz = [];
        for (const [n, query] of QUERIES.entries()) {
          const tab = await browser.newPage();
          await tab.goto(url);
          sent.length = 0;
          const run = (q) => (tool === "handbook" ? handbookQuery(tab, q) : pagefindQuery(tab, q));
          const found = await run(query);
          await new Promise((ok) => setTimeout(ok, 50)); // the sizes are counted
          if (!found.count) { console.error(`${tool}: "${query}" found nothing`); process.exitCode = 1; }
          const fetched = sent.filter((s) => s.path.startsWith(tool === "handbook" ? "/search/" : "/pagefind/"));
          times.push(found.ms); full.push(found.full); bytes.push(fetched.reduce((n, s) => n + s.raw, 0)); gz.push(fetched.reduce((n, s) => n + s.gz, 0));
          // The next query in the same page view: the index's entry files are loaded.
          warm.push((await run(QUERIES[(n + 1) % QUERIES.length])).ms);
          await tab.close();
        }
        rows.push([tool, pages, `${index.files} files`, `${kb(index.raw)} (${kb(index.gz)} gz)`, `${kb(median(bytes))} (${kb(median(gz))} gz)`, `${kb(Math.max(...gz))} gz`, `${median(times).toFixed(0)} ms (max ${Math.max(...times).toFixed(0)})`, `${median(full).toFixed(0)} ms`, `${median(warm).toFixed(0)} ms (max ${Math.max(...warm).toFixed(0)})`]);
      }
    } finally {
      server.close();
    }
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}

// Types the query into the theme's search box; time until the result list shows.
async function handbookQuery(tab, query) {
  return tab.evaluate((q) => new Promise((done) => {
    const input = document.getElementById("search-input"), list = document.getElementById("search-results");
    list.hidden = true; list.textContent = "";
    const start = performance.now();
    let listed = null;
    const observer = new MutationObserver(() => {
      if (list.hidden || !list.querySelector("li")) return;
      const links = list.querySelectorAll("a");
      if (listed === null) listed = performance.now() - start;
      if (Array.prototype.some.call(links, (a) => !a.querySelector(".result-desc"))) return;
      observer.disconnect();
      done({ ms: listed, full: performance.now() - start, count: links.length });
    });
    observer.observe(list, { childList: true, subtree: true, attributes: true });
    // A result whose excerpt never comes (a failed chunk) must not hang the benchmark.
    setTimeout(() => { observer.disconnect(); done({ ms: listed ?? NaN, full: NaN, count: list.querySelectorAll("a").length }); }, 5000);
    input.focus(); input.value = q; input.dispatchEvent(new Event("input"));
  }), query);
}

// Pagefind's own API, as its UI uses it: init, search, then the data of the first ten results.
async function pagefindQuery(tab, query) {
  return tab.evaluate(async (q) => {
    const start = performance.now();
    const pagefind = await import("/pagefind/pagefind.js");
    await pagefind.init();
    const search = await pagefind.search(q);
    const listed = performance.now() - start;
    await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    // Pagefind has no titles before the fragments: its list shows with the excerpts.
    return { ms: performance.now() - start, full: performance.now() - start, count: search.results.length, listed };
  }, query);
}

console.log(`Search, cold (a fresh page view per query; queries: ${QUERIES.map((q) => `"${q}"`).join(", ")}), Chromium, 127.0.0.1:`);
const head = ["tool", "pages", "index files", "index size", "fetched per query (median)", "max fetched", "first query → results", "→ excerpts", "next query → results"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
for (const row of [head, ...rows]) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join("  "));
