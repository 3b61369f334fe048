// Values JSON cannot carry (NaN, the infinities, fractions and numbers past 2^53 where a whole
// number belongs, objects, String objects, Dates, toJSON, a getter that throws), in Node: each
// refused at its own path with a code by validatePerformSale and validateV2Sale. The same cases
// run in Chromium and Firefox in hostile.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as gateway from "../../pkg/gateway.js";
import * as v2 from "../../pkg/v2.js";
import { run } from "./hostile/unjson.js";

test("Node: values JSON cannot carry are refused at their own path with a code", () => {
  // validatePerformSale is in connpay-checkout/gateway, validateV2Sale in connpay-checkout/v2.
  gateway.initSync({ module: readFileSync(new URL("../../pkg/gateway_bg.wasm", import.meta.url)) });
  v2.initSync({ module: readFileSync(new URL("../../pkg/v2_bg.wasm", import.meta.url)) });
  const report = run({ ...gateway, ...v2 });
  assert.deepEqual(report.failures, []);
  assert.ok(report.checked > 150, `${report.checked} cases`);
});
