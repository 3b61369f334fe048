// The benchmark: measures what a checkout page downloads and writes BENCHMARKS.md.
// Usage: npm run bench   (builds the release package first)
// Sizes are deterministic for one toolchain; timings (added by later work) are medians of runs.
import { execSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = new URL("..", import.meta.url);
const file = (path) => readFileSync(new URL(path, root));
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const version = (command) => {
  try {
    return execSync(command, { encoding: "utf8" }).trim().split("\n")[0];
  } catch {
    return "not found";
  }
};

const wasm = file("pkg/connpay_checkout_bg.wasm");
const glue = file("pkg/connpay_checkout.js");
const rows = [
  [".wasm", wasm.length, gzip(wasm), brotli(wasm)],
  ["JS glue", glue.length, gzip(glue), brotli(glue)],
];
rows.push(["total", rows[0][1] + rows[1][1], rows[0][2] + rows[1][2], rows[0][3] + rows[1][3]]);
const kb = (bytes) => (bytes / 1024).toFixed(1);
const budgetKb = 35;

const report = `# Benchmarks

Written by \`npm run bench\` (scripts/bench.mjs) on ${new Date().toISOString().slice(0, 10)}; do not edit by hand.

Machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB;
${version("rustc --version")}; ${version("wasm-pack --version")}; wasm-opt ${version("node_modules/.bin/wasm-opt --version")}.

## Size of the module

Command: \`npm run build\` (\`wasm-pack build --release --target web\`: opt-level "z", LTO, one codegen unit,
panic = abort, wasm-opt -Oz), then gzip -9 and brotli -11 of each file.

| file | raw bytes | gzip bytes | brotli bytes |
| --- | ---: | ---: | ---: |
${rows.map(([name, raw, gz, br]) => `| ${name} | ${raw} | ${gz} | ${br} |`).join("\n")}

Total gzip: ${kb(rows[2][2])} KB against the ${budgetKb} KB budget (issue 7): ${
  rows[2][2] <= budgetKb * 1024 ? "within it" : `over it by ${kb(rows[2][2] - budgetKb * 1024)} KB`
}.
`;
writeFileSync(new URL("BENCHMARKS.md", root), report);
console.log(report);
