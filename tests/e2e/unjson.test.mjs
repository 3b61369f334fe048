// Values JSON cannot carry (NaN, the infinities, fractions and numbers past 2^53 where a whole
// number belongs, objects, String objects, Dates, toJSON, a getter that throws), in Node: each
// refused at its own path with a code by validatePerformSale and validateV2Sale. The same cases
// run in Chromium and Firefox in hostile.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as connpay from "../../pkg/connpay_checkout.js";
import { run } from "./hostile/unjson.js";

test("Node: values JSON cannot carry are refused at their own path with a code", () => {
  connpay.initSync({ module: readFileSync(new URL("../../pkg/connpay_checkout_bg.wasm", import.meta.url)) });
  const report = run(connpay);
  assert.deepEqual(report.failures, []);
  assert.ok(report.checked > 150, `${report.checked} cases`);
});
