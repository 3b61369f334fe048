// The npm package's entry points: each is its own .wasm, built from the root crate with the
// features named here (Cargo.toml's [features]), with its own wasm-bindgen glue and .d.ts.
// scripts/build.mjs builds them, scripts/package.mjs lists them in package.json's `exports`,
// scripts/bench.mjs measures what a page loads for each.

// `js`: a JavaScript module appended to the entry's glue, which exports what the page calls over
// the glue's own functions (the validate entry's lean validators, src/lean.rs).
/** @type {{ subpath: string, name: string, features: string[], purpose: string, js?: string }[]} */
export const ENTRIES = [
  { subpath: ".", name: "connpay_checkout", features: ["checkout"], purpose: "the drop-in checkout (its fields validate themselves; the validators are the other entries')" },
  { subpath: "./gateway", name: "gateway", features: ["gateway"], purpose: "the gateway calls and the 3-D Secure browser data for a shop's own form, with the validators" },
  { subpath: "./validate", name: "validate", features: [], purpose: "the validators and formatting only", js: "src/validate.js" },
  { subpath: "./v2", name: "v2", features: ["v2"], purpose: "the /api/v2/sale form builder and its answer, with the 3-D Secure browser data and the validators" },
];

/** Each entry is also built for development (its `development` export condition), into this folder of the package. */
export const DEVELOPMENT_DIR = "development";
