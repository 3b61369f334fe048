// Completes the npm package that `wasm-pack build` wrote into pkg/: the fields wasm-pack does not
// write (exports, keywords, files beyond the three it knows), the package's own README and the
// licences. Run by `npm run build` after wasm-pack; idempotent.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const root = new URL("..", import.meta.url);
const pkg = new URL("pkg/", root);
const manifest = JSON.parse(readFileSync(new URL("package.json", pkg), "utf8"));

const entry = "./connpay_checkout.js";
const types = "./connpay_checkout.d.ts";
const wasm = "./connpay_checkout_bg.wasm";
const documents = ["README.md", "LICENSE-MIT", "LICENSE-APACHE"];

// The languages besides the module's own English and Russian: one module each, so that a page
// pays only for the ones it imports (`import de from "connpay-checkout/locales/de"`). Their
// tables live in locales/*.json (core/tests/locales.rs checks every table has every key).
const languages = readdirSync(new URL("locales/", root)).filter((file) => file.endsWith(".json")).map((file) => file.slice(0, -5)).sort();
mkdirSync(new URL("locales/", pkg), { recursive: true });
for (const language of languages) {
  const table = JSON.parse(readFileSync(new URL(`locales/${language}.json`, root), "utf8"));
  writeFileSync(new URL(`locales/${language}.js`, pkg), `// ${table.name}: the checkout's messages. Generated from locales/${language}.json.\nexport default ${JSON.stringify(table, null, 2)};\n`);
  writeFileSync(new URL(`locales/${language}.d.ts`, pkg), `import type { LocaleTable } from "../connpay_checkout.js";\n/** ${table.name}: the checkout's messages, for \`locale\` or \`locales\`. */\ndeclare const table: LocaleTable;\nexport default table;\n`);
}

const complete = {
  name: manifest.name,
  version: manifest.version,
  description: manifest.description,
  license: manifest.license,
  repository: manifest.repository,
  homepage: `${manifest.repository.url}#readme`,
  bugs: `${manifest.repository.url}/issues`,
  keywords: ["connpay", "payneteasy", "payments", "checkout", "credit-card", "card-validation", "luhn", "3d-secure", "webassembly", "wasm"],
  type: "module",
  // One ES module serves bundlers and plain <script type="module"> pages alike: it finds the
  // .wasm with `new URL(…, import.meta.url)`, which Vite, webpack 5 and browsers all understand.
  main: entry,
  module: entry,
  types,
  exports: {
    ".": { types, default: entry },
    // For init({ module_or_path }) from a CDN or a hashed asset name, and for SRI hashes.
    "./connpay_checkout_bg.wasm": wasm,
    "./locales/*": { types: "./locales/*.d.ts", default: "./locales/*.js" },
    "./checkout.css": "./checkout.css",
    "./package.json": "./package.json",
  },
  // Importing the module only defines functions; nothing runs until init(). The stylesheet is
  // the one file whose import does something.
  sideEffects: ["./checkout.css"],
  files: [wasm, entry, types, "./connpay_checkout_bg.wasm.d.ts", "./checkout.css", "./locales/", "./snippets/", ...documents].map((file) => file.replace("./", "")),
};

// wasm-bindgen types the raw exports (`InitOutput`, what init() resolves to, and the .wasm's own
// declarations) with `any`; the package promises no `any`, and `unknown` says the same of values
// nobody should touch. Only those declaration lines change, never a comment.
for (const file of ["connpay_checkout.d.ts", "connpay_checkout_bg.wasm.d.ts"]) {
  const declarations = new URL(file, pkg);
  const raw = /^(\s*readonly|export const) \w+: \(.*$/gm;
  const typed = readFileSync(declarations, "utf8").replace(raw, (line) => line.replace(/\bany\b/g, "unknown"));
  writeFileSync(declarations, typed);
}

copyFileSync(new URL("npm/README.md", root), new URL("README.md", pkg));
copyFileSync(new URL("npm/checkout.css", root), new URL("checkout.css", pkg));
for (const licence of documents.slice(1)) copyFileSync(new URL(licence, root), new URL(licence, pkg));
writeFileSync(new URL("package.json", pkg), `${JSON.stringify(complete, null, 2)}\n`);
console.log(`pkg/package.json: ${complete.name}@${complete.version}, ${complete.files.length} files`);
