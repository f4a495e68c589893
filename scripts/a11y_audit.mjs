#!/usr/bin/env node
// Runs axe-core on every HTML page of built sites, in light and dark mode (OS setting and the
// theme toggle forced against it), at desktop and phone width. Exits 1 if any violation.
// Usage: node scripts/a11y_audit.mjs OUT [OUT...]   (OUT=/prefix/ serves OUT under a base path; by
// default the data-base-path of OUT/index.html)
// Needs axe-core and playwright-core in $HANDBOOK_NODE_TOOLS (a node_modules folder or the folder
// holding one; default: the repository's node_modules) and a Chromium ($CHROMIUM, default
// `chromium` on PATH). A11Y_QUICK=1: light and dark only, desktop only.
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumPath, serveFolder } from "./lib/browser_tools.mjs";

let tools = resolve(process.env.HANDBOOK_NODE_TOOLS || fileURLToPath(new URL("../node_modules", import.meta.url)));
if (existsSync(join(tools, "node_modules"))) tools = join(tools, "node_modules"); // an npm project folder
const require = createRequire(join(tools, "..", "x.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const quick = process.env.A11Y_QUICK === "1";
// [OS colour scheme, forced data-theme or null]
const modes = quick ? [["light", null], ["dark", null]]
  : [["light", null], ["dark", null], ["light", "dark"], ["dark", "light"]];
const widths = quick ? [1280] : [1280, 390];

function pages(dir, rel = "") {
  return readdirSync(join(dir, rel)).flatMap((name) => {
    const r = rel ? `${rel}/${name}` : name;
    return statSync(join(dir, r)).isDirectory() ? pages(dir, r) : name.endsWith(".html") ? [r] : [];
  });
}

const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
let total = 0;
for (const arg of process.argv.slice(2)) {
  const [dir, given] = arg.split("=");
  const index = join(dir, "index.html"); // a site built with a base path says so on its pages
  const prefix = given || (existsSync(index) && /data-base-path="([^"]+)"/.exec(readFileSync(index, "utf8"))?.[1]) || "/";
  const { server, url: origin } = await serveFolder(dir, { prefix });
  for (const width of widths) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    // Redirect pages are audited, not followed: their meta refresh (0 s, allowed by axe) is neutralised.
    await page.route("**/*.html", async (r) => {
      const res = await r.fetch();
      r.fulfill({ response: res, body: (await res.text()).replace(/http-equiv="refresh"/gi, 'data-refresh') });
    });
    for (const file of pages(dir)) {
      await page.goto(origin + file, { waitUntil: "load" });
      await page.evaluate(axeSource);
      for (const [scheme, forced] of modes) {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
        await page.evaluate((t) => { // what the theme toggle (js/reader.js) does
          const d = document.documentElement, dark = document.getElementById("syntax-dark"), light = document.getElementById("syntax-light");
          if (t) d.dataset.theme = t; else delete d.dataset.theme;
          if (dark) dark.media = t ? (t === "dark" ? "all" : "not all") : "(prefers-color-scheme: dark)";
          if (light) light.media = t ? (t === "light" ? "all" : "not all") : "not all and (prefers-color-scheme: dark)";
        }, forced);
        const result = await page.evaluate((values) => axe.run(document, { runOnly: { type: "tag", values } }), tags);
        for (const v of result.violations) {
          total += v.nodes.length;
          for (const n of v.nodes) {
            console.log(`${dir}/${file} [${width}px ${scheme}${forced ? "+" + forced : ""}] ${v.id} (${v.impact}) ${n.target.join(" ")}: ${n.failureSummary.split("\n")[1]?.trim() ?? ""}`);
          }
        }
      }
    }
    await page.close();
  }
  server.close();
}
await browser.close();
console.log(total ? `${total} axe violation(s)` : "no axe violations");
process.exit(total ? 1 : 0);
