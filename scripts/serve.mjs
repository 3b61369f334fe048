// Serves the demo: www/ at / and the built package (pkg/) at /pkg/, on 127.0.0.1 only,
// with the Content-Security-Policy a merchant's checkout page would use.
// Usage: node scripts/serve.mjs [--port N]   (N = 0 picks a free port; default 8080 or $PORT)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const mounts = [
  ["/pkg/", join(root, "pkg")],
  ["/", join(root, "www")],
];
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};
const headers = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; " +
    "style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Cache-Control": "no-store",
};

/** The file behind a URL path, or null when it would leave its mount. */
function resolve(path) {
  for (const [prefix, directory] of mounts) {
    if (!path.startsWith(prefix)) continue;
    const relative = path.slice(prefix.length) || "index.html";
    const file = normalize(join(directory, relative));
    return file.startsWith(directory + sep) ? file : null;
  }
  return null;
}

const server = createServer(async (request, response) => {
  let path;
  try {
    path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
  } catch {
    path = null;
  }
  const file = path && resolve(path.endsWith("/") ? path + "index.html" : path);
  try {
    if (request.method !== "GET" && request.method !== "HEAD") throw Object.assign(new Error(), { code: "METHOD" });
    if (!file) throw Object.assign(new Error(), { code: "ENOENT" });
    const body = await readFile(file);
    response.writeHead(200, { ...headers, "Content-Type": types[extname(file)] ?? "application/octet-stream" });
    response.end(request.method === "HEAD" ? undefined : body);
    console.log(`${request.method} ${path} 200`);
  } catch (error) {
    const status = error.code === "METHOD" ? 405 : error.code === "ENOENT" || error.code === "EISDIR" ? 404 : 500;
    response.writeHead(status, { ...headers, "Content-Type": "text/plain; charset=utf-8" });
    response.end(`${status}\n`);
    console.log(`${request.method} ${path ?? "(bad path)"} ${status}`);
  }
});

const flag = process.argv.indexOf("--port");
const port = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.PORT ?? 8080));
server.listen(port, "127.0.0.1", () => {
  console.log(`Serving the demo at http://127.0.0.1:${server.address().port}/`);
});
