// Completes the Node package that `wasm-pack build merchant --target nodejs` wrote into
// pkg-server/: its npm name (connpay-checkout-server, not the crate's), the fields wasm-pack does
// not write, its own README and the licences. Run by `npm run build:server`; idempotent.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const root = new URL("..", import.meta.url);
const pkg = new URL("pkg-server/", root);
const manifest = JSON.parse(readFileSync(new URL("package.json", pkg), "utf8"));

const entry = "./connpay_checkout_server.js";
const types = "./connpay_checkout_server.d.ts";
const documents = ["README.md", "LICENSE-MIT", "LICENSE-APACHE"];

const complete = {
  name: "connpay-checkout-server",
  version: manifest.version,
  description: manifest.description,
  license: manifest.license,
  repository: manifest.repository,
  keywords: ["connpay", "payneteasy", "payments", "merchant", "hmac", "check-sale", "webassembly"],
  // wasm-bindgen's Node.js output: CommonJS that reads its .wasm beside it; `import` works too.
  main: entry,
  types,
  exports: { ".": { types, default: entry }, "./package.json": "./package.json" },
  engines: { node: ">=18" },
  files: [entry, types, "./connpay_checkout_server_bg.wasm", "./connpay_checkout_server_bg.wasm.d.ts", ...documents].map((file) =>
    file.replace("./", ""),
  ),
};

// wasm-bindgen types the raw exports of the .wasm with `any`; nobody should touch them.
const declarations = new URL("connpay_checkout_server_bg.wasm.d.ts", pkg);
writeFileSync(declarations, readFileSync(declarations, "utf8").replace(/\bany\b/g, "unknown"));

copyFileSync(new URL("merchant/README.md", root), new URL("README.md", pkg));
for (const licence of documents.slice(1)) copyFileSync(new URL(licence, root), new URL(licence, pkg));
writeFileSync(new URL("package.json", pkg), `${JSON.stringify(complete, null, 2)}\n`);
console.log(`pkg-server/package.json: ${complete.name}@${complete.version}, ${complete.files.length} files`);
