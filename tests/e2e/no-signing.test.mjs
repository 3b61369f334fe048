// The browser package carries no signing. What is checked is the packed tarball, as npm would
// publish it (`npm pack ./pkg`): no export, type or parameter for signing, no SHA-1 code in the
// .wasm, no file that mentions a control key; and the `server` feature of connpay-core is not in
// the wasm build's dependency graph.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEVELOPMENT_DIR, ENTRIES } from "../../scripts/entries.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const SIGNING = /sign|hmac|sha1|sha_1|secret|merchant_?control|control_?key/i;

let unpacked;
before(async () => {
  const scratch = await mkdtemp(join(tmpdir(), "connpay-tarball-"));
  const [{ filename }] = JSON.parse(execFileSync("npm", ["pack", "./pkg", "--json", "--pack-destination", scratch], { cwd: root, encoding: "utf8" }));
  execFileSync("tar", ["-xzf", join(scratch, filename), "-C", scratch]);
  unpacked = join(scratch, "package");
});
const pkg = (file) => readFile(join(unpacked, file));

/** Each entry point's files, `<name>.js` and the rest, in production and in development. */
const entryFiles = ENTRIES.flatMap(({ name }) => [`${name}.d.ts`, `${name}.js`, `${name}_bg.wasm`, `${name}_bg.wasm.d.ts`]);
const codeFiles = [...entryFiles, ...entryFiles.map((file) => `${DEVELOPMENT_DIR}/${file}`)];

test("no code file of the tarball (.wasm, .js, .d.ts) names a control key or a signing function", async () => {
  // The README may explain that the key stays on the server; the code may not mention it at all.
  const files = (await readdir(unpacked, { recursive: true })).filter((file) => /\.(wasm|js|d\.ts)$/.test(file) && !file.startsWith("locales/"));
  // Each entry point's files, and the JavaScript modules their glue imports (wasm-bindgen's snippets).
  assert.deepEqual(files.filter((file) => !/(^|\/)snippets\//.test(file)).sort(), [...codeFiles].sort());
  for (const file of files) {
    const text = (await pkg(file)).toString("latin1");
    assert.doesNotMatch(text, /merchantControl|controlKey|control_key|MerchantControl|hmac_hex|session_signature|v2_sale_control/, file);
  }
});

test("no .wasm export names signing, and no SHA-1 constant is in any entry point's module", async () => {
  for (const file of codeFiles.filter((name) => name.endsWith(".wasm"))) noSigningIn(file, await pkg(file));
});

function noSigningIn(file, bytes) {
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((entry) => entry.name);
  // The module is an entry point's (the validate entry's lean exports are src/lean.rs's, the
  // drop-in's its mountCheckout).
  assert.ok(["validateCardNumber", "leanNumber", "mountCheckout"].some((name) => exports.includes(name)), `${file}: ${exports.join()}`);
  assert.deepEqual(exports.filter((name) => SIGNING.test(name)), [], file);
  // SHA-1's initial hash values and round constants, as i32.const immediates (signed LEB128) and
  // as little-endian data: any SHA-1 implementation carries them.
  const constants = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];
  const found = [];
  for (const constant of constants) {
    for (const [form, pattern] of [["leb128", signedLeb128(constant | 0)], ["little-endian", littleEndian(constant)]]) {
      if (indexOf(bytes, pattern) >= 0) found.push(`${constant.toString(16)} (${form})`);
    }
  }
  assert.deepEqual(found, [], file);
}

test("no exported function, method or parameter of the .d.ts or the glue takes a key or signs", async () => {
  const files = await readdir(unpacked, { recursive: true });
  const read = async (suffix) => (await Promise.all(files.filter((file) => file.endsWith(suffix) && !file.startsWith("locales/")).map(pkg))).join("\n");
  const dts = await read(".d.ts");
  const glue = await read(".js");
  const functions = [...dts.matchAll(/^\s*(?:export function |(?:static )?)(\w+)\(([^)]*)\)/gm)];
  assert.ok(functions.some(([, name]) => name === "buildV2SaleForm"), "the .d.ts lists the exports");
  for (const [, name, params] of functions) {
    assert.doesNotMatch(name, SIGNING, `function ${name}`);
    for (const param of params.split(",").map((part) => part.trim().split(/[?:]/)[0]).filter(Boolean)) {
      assert.doesNotMatch(param, /key|secret|merchantControl/i, `${name}(${param})`);
    }
  }
  assert.doesNotMatch(dts, /merchantControl|controlKey|secretKey|hmac|sha-?1\(/i);
  assert.doesNotMatch(glue, /hmac|sha1|merchantControl|controlKey/i);
});

test("the wasm build's dependency graph has neither the server feature nor sha1/hmac", () => {
  const cargoTree = (...args) =>
    execFileSync("cargo", ["tree", "-p", "connpay-checkout", "--target", "wasm32-unknown-unknown", "-e", "normal", ...args], {
      cwd: root,
      encoding: "utf8",
    });
  const crates = cargoTree("--prefix", "none").split("\n").map((line) => line.split(" ")[0]);
  assert.ok(crates.includes("connpay-core"), "the tree lists the core");
  assert.deepEqual(crates.filter((name) => ["sha1", "hmac", "digest"].includes(name)), []);
  const features = cargoTree("-e", "features", "-i", "connpay-core");
  assert.doesNotMatch(features, /connpay-core feature "server"/);
});

function signedLeb128(value) {
  const out = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return Uint8Array.from(out);
  }
}

function littleEndian(value) {
  return Uint8Array.from([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]);
}

function indexOf(haystack, needle) {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) continue outer;
    }
    return start;
  }
  return -1;
}
