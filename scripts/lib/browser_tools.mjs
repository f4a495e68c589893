// Shared by the browser scripts (a11y_audit.mjs, bench_preview.mjs, bench_search.mjs): the
// handbook binary, the synthetic sites of gen_site.py, Chromium, and a static file server.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const log = (message) => console.error(`==> ${message}`);

/** $HANDBOOK_BIN, else target/release/handbook, built (quietly) first. */
export function handbookBinary() {
  if (process.env.HANDBOOK_BIN) return process.env.HANDBOOK_BIN;
  execFileSync("cargo", ["build", "--release", "--quiet"], { cwd: ROOT, stdio: "inherit" });
  return join(ROOT, "target/release/handbook");
}

/** The `pages`-page synthetic site of gen_site.py, generated once into target/bench-sites/. */
export function syntheticSite(pages) {
  const site = join(ROOT, "target/bench-sites", String(pages), "handbook");
  if (!existsSync(join(site, "handbook.toml"))) {
    log(`generating a ${pages}-page site in ${site}`);
    execFileSync("python3", [join(ROOT, "scripts/gen_site.py"), "--pages", String(pages), "--out", site, "--flavor", "handbook", "--force"]);
  }
  return site;
}

/** $CHROMIUM, else `chromium` on PATH. */
export function chromiumPath() {
  return process.env.CHROMIUM || execFileSync("sh", ["-c", "command -v chromium"]).toString().trim();
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".xml": "application/xml", ".wasm": "application/wasm",
};

/**
 * Serves `dir` on 127.0.0.1 under `prefix` (a folder as its index.html), never a file outside
 * `dir`; `onSend(path, bytes)` sees every file after it is sent. Resolves to { server, url }.
 */
export function serveFolder(dir, { prefix = "/", onSend = () => {} } = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.startsWith(prefix) ? resolve(root, "." + path.slice(prefix.length - 1)) : null;
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file || !(file === root || file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const bytes = readFileSync(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream", "cache-control": "no-store" });
    res.end(bytes);
    onSend(path, bytes);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, url: `http://127.0.0.1:${server.address().port}${prefix}` })));
}
