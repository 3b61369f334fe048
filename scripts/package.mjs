// Completes the npm package whose entry points scripts/build.mjs wrote into pkg/: package.json
// (its `exports`, one per entry point of scripts/entries.mjs), the language modules, the
// package's own README and the licences. Run by `npm run build` after the entries; idempotent.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { DEVELOPMENT_DIR, ENTRIES } from "./entries.mjs";

const root = new URL("..", import.meta.url);
const pkg = new URL("pkg/", root);
const cargo = readFileSync(new URL("Cargo.toml", root), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, "m"))[1];
const manifest = {
  name: "connpay-checkout",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  repository: { type: "git", url: field("repository") },
};

const [main] = ENTRIES;
const entry = `./${main.name}.js`;
const types = `./${main.name}.d.ts`;
// SECURITY.md: the threat model and the SRI recipe a shop needs at hand, offline too.
const documents = ["README.md", "SECURITY.md", "LICENSE-MIT", "LICENSE-APACHE"];
// Each entry point: its types, its development build (the developer's words in errors, and
// warnings), its production build.
const exportOf = ({ name }) => ({ types: `./${name}.d.ts`, development: `./${DEVELOPMENT_DIR}/${name}.js`, default: `./${name}.js` });
// For init({ module_or_path }) from a CDN or a hashed asset name, and for SRI hashes.
const wasmFiles = ENTRIES.map(({ name }) => `./${name}_bg.wasm`);

// The languages besides the module's own English: one module each, so that a page
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
    ...Object.fromEntries(ENTRIES.map((one) => [one.subpath, exportOf(one)])),
    ...Object.fromEntries(wasmFiles.map((file) => [file, file])),
    "./locales/*": { types: "./locales/*.d.ts", default: "./locales/*.js" },
    "./checkout.css": "./checkout.css",
    "./package.json": "./package.json",
  },
  // Importing the module only defines functions; nothing runs until init(). The stylesheet is
  // the one file whose import does something.
  sideEffects: ["./checkout.css"],
  files: [
    ...ENTRIES.flatMap(({ name }) => [`${name}.js`, `${name}.d.ts`, `${name}_bg.wasm`, `${name}_bg.wasm.d.ts`]),
    `${DEVELOPMENT_DIR}/`,
    "snippets/",
    "checkout.css",
    "locales/",
    ...documents,
  ],
};

copyFileSync(new URL("npm/README.md", root), new URL("README.md", pkg));
copyFileSync(new URL("npm/checkout.css", root), new URL("checkout.css", pkg));
for (const document of documents.slice(1)) copyFileSync(new URL(document, root), new URL(document, pkg));
writeFileSync(new URL("package.json", pkg), `${JSON.stringify(complete, null, 2)}\n`);
console.log(`pkg/package.json: ${complete.name}@${complete.version}, ${complete.files.length} files`);
