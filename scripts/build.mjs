// Builds the npm package into pkg/ (`npm run build`): for each entry point of scripts/entries.mjs,
// `cargo build` of the root crate with the entry's features, wasm-bindgen (the version Cargo.lock
// pins), wasm-opt (npm binaryen), then the glue's finishing touches below; scripts/package.mjs
// writes the manifest and the documents.
//
// Two builds of each entry: the production one (the package's default files) and the development
// one (pkg/development/, the `development` export condition), which keeps the developer's texts.
//
//   node scripts/build.mjs             the release .wasm with the pinned nightly of
//                                      scripts/release-toolchain (immediate-abort panics,
//                                      std built for size), as scripts/setup.sh installs it
//   node scripts/build.mjs --stable    every .wasm with stable Rust (what `npm test` also checks)
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { DEVELOPMENT_DIR, ENTRIES } from "./entries.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = (path) => `${root}${path}`;
const env = { ...process.env, PATH: `${at("node_modules/.bin")}:${homedir()}/.cargo/bin:${process.env.PATH}` };
const run = (command, args, extra = {}) => execFileSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...env, ...extra } });
const step = (message) => console.error(`== build: ${message}`);

export const NIGHTLY = readFileSync(at("scripts/release-toolchain"), "utf8").trim();
// wasm-opt's flags, from Cargo.toml's wasm-pack metadata (`wasm-pack test` reads the same list).
const WASM_OPT = JSON.parse(readFileSync(at("Cargo.toml"), "utf8").match(/^wasm-opt = (\[.*\])$/m)[1]);

/** The wasm-bindgen CLI of the version Cargo.lock pins (the glue and the crate must agree). */
function wasmBindgen() {
  const lock = readFileSync(at("Cargo.lock"), "utf8");
  const version = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)[1];
  // Where wasm-pack (which `npm test` runs for the browser tests) keeps it: one copy for both.
  const home = `${homedir()}/.cache/.wasm-pack/wasm-bindgen-cargo-install-${version}`;
  const found = [`${home}/wasm-bindgen`, `${home}/bin/wasm-bindgen`].find(existsSync);
  if (found) return found;
  step(`installing wasm-bindgen-cli ${version} (a few minutes, once)`);
  run("cargo", ["install", "wasm-bindgen-cli", "--version", `=${version}`, "--locked", "--root", home]);
  return `${home}/bin/wasm-bindgen`;
}

/**
 * One .wasm and its glue: `toolchain` "stable" or the pinned nightly; `features` of the root crate.
 * Returns the folder wasm-bindgen wrote `<name>.js`, `<name>.d.ts` and `<name>_bg.wasm` into.
 */
export function buildEntry({ name, features }, { toolchain = "stable", out = `target/entries/${toolchain}/${name}` } = {}) {
  const nightly = toolchain !== "stable";
  // Each toolchain its own target folder: switching toolchains would otherwise rebuild everything.
  const targetDir = nightly ? "target/nightly" : "target";
  const cargo = ["build", "--lib", "--release", "--target", "wasm32-unknown-unknown", "--no-default-features"];
  if (features.length) cargo.push("--features", features.join(","));
  const extra = { CARGO_TARGET_DIR: at(targetDir) };
  if (nightly) {
    // A panic aborts on the spot: no formatting of its message, no location, none of the
    // machinery behind them, which stable Rust's prebuilt std always carries. std is built with
    // its smaller implementations (`optimize_for_size`), and no source file's path is kept for a
    // location nobody reports (nor the build machine's folders in the shipped .wasm).
    cargo.unshift(`+${toolchain}`);
    cargo.push("-Zbuild-std=std,panic_abort", "-Zbuild-std-features=optimize_for_size");
    extra.RUSTFLAGS = "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none";
  }
  run("cargo", cargo, extra);
  rmSync(at(out), { recursive: true, force: true });
  run(wasmBindgen(), ["--target", "web", "--out-dir", at(out), "--out-name", name, at(`${targetDir}/wasm32-unknown-unknown/release/connpay_checkout.wasm`)]);
  const wasm = at(`${out}/${name}_bg.wasm`);
  run("wasm-opt", [...WASM_OPT, wasm, "-o", wasm]);
  return at(out);
}

/**
 * The glue as the package ships it. Before init() resolves, wasm-bindgen's `wasm` is undefined
 * and any call fails with "Cannot read properties of undefined"; here it is a stand-in whose every
 * property throws the module's ConnPayError naming init(). Then minified by esbuild
 * (BENCHMARKS.md has the figures).
 */
export function finishGlue(glue, { minify = true } = {}) {
  const [, code, detail] = readFileSync(at("core/src/code.rs"), "utf8").match(/InitRequired => "([^"]+)", "((?:[^"\\]|\\.)*)"/);
  const notReady = `const notReady = new Proxy({}, { get() {
    const error = new Error(${JSON.stringify(detail.replace(/\\"/g, '"'))});
    error.name = "ConnPayError";
    error.code = ${JSON.stringify(code)};
    throw error;
} });`;
  const replacements = [
    ["let wasmModule, wasmInstance, wasm;", `${notReady}\nlet wasmModule, wasmInstance, wasm = notReady;`],
    ["if (wasm !== undefined) return wasm;", "if (wasm !== notReady) return wasm;"],
  ];
  for (const [from, to] of replacements) {
    if (!glue.includes(from)) throw new Error(`the wasm-bindgen glue changed: no \`${from}\` to replace`);
    glue = glue.replaceAll(from, to);
  }
  return minify ? minified(glue) : glue;
}

/** An ES module minified by esbuild: names shortened, white space and comments gone. */
const minified = (code) => transformSync(code, { format: "esm", minify: true, legalComments: "none" }).code;

/**
 * wasm-bindgen types the raw exports (`InitOutput`, what init() resolves to, and the .wasm's own
 * declarations) with `any`; the package promises no `any`, and `unknown` says the same of values
 * nobody should touch. Only those declaration lines change, never a comment.
 */
export function finishDeclarations(text) {
  return text.replace(/^(\s*readonly|export const) \w+: \(.*$/gm, (line) => line.replace(/\bany\b/g, "unknown"));
}

/**
 * An entry with its own JavaScript module (entries.mjs's `js`): the glue's `lean…` functions stay
 * inside the one module, and the entry's module, appended, exports what the page calls.
 */
function withEntryModule(glue, file) {
  const inner = glue.replace(/^export function (lean\w+)\(/gm, "function $1(");
  if (inner === glue) throw new Error(`the wasm-bindgen glue changed: no lean function for ${file} to call`);
  return `${inner}\n${readFileSync(at(file), "utf8")}`;
}

/**
 * Copies one built entry into `dir` of the package, finished: its .wasm, glue and declarations,
 * and the JavaScript modules its glue imports (wasm-bindgen's snippets: the drop-in's page shell,
 * shell/checkout.js), minified like the glue.
 */
export function packageEntry(built, name, dir, { minify = true } = {}) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(`${built}/${name}_bg.wasm`, `${dir}/${name}_bg.wasm`);
  const js = ENTRIES.find((entry) => entry.name === name)?.js;
  const glue = readFileSync(`${built}/${name}.js`, "utf8");
  writeFileSync(`${dir}/${name}.js`, finishGlue(js ? withEntryModule(glue, js) : glue, { minify }));
  for (const file of [`${name}.d.ts`, `${name}_bg.wasm.d.ts`]) writeFileSync(`${dir}/${file}`, finishDeclarations(readFileSync(`${built}/${file}`, "utf8")));
  const snippets = existsSync(`${built}/snippets`) ? readdirSync(`${built}/snippets`, { recursive: true }).filter((file) => file.endsWith(".js")) : [];
  for (const file of snippets) {
    const code = readFileSync(`${built}/snippets/${file}`, "utf8");
    mkdirSync(dirname(`${dir}/snippets/${file}`), { recursive: true });
    writeFileSync(`${dir}/snippets/${file}`, minify ? minified(code) : code);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const toolchain = process.argv.includes("--stable") ? "stable" : NIGHTLY;
  const pkg = at("pkg");
  rmSync(pkg, { recursive: true, force: true });
  for (const entry of ENTRIES) {
    step(`${entry.name} (${entry.subpath}), ${toolchain}`);
    packageEntry(buildEntry(entry, { toolchain }), entry.name, pkg);
    step(`${entry.name} (${entry.subpath}), development build, stable`);
    const development = { ...entry, features: [...entry.features, "development"] };
    packageEntry(buildEntry(development, { out: `target/entries/development/${entry.name}` }), entry.name, `${pkg}/${DEVELOPMENT_DIR}`, { minify: false });
  }
  run("node", ["scripts/package.mjs"]);
}
