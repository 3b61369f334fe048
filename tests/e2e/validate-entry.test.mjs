// The `connpay-checkout/validate` entry point reads the page's values in JavaScript and lets its
// lean .wasm answer in numbers (src/validate.js, src/lean.rs); the gateway's entry point reads them
// in wasm and builds its results there (src/card.rs). Both must answer alike: every validator of
// pkg/validate.js is called beside the same validator of pkg/gateway.js with ordinary
// and hostile values, and each pair must return equal results (same keys, same order) or throw
// the same ConnPayError, after reading the same properties in the same order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as main from "../../pkg/gateway.js";
import * as validate from "../../pkg/validate.js";

const wasm = (name) => readFileSync(new URL(`../../pkg/${name}_bg.wasm`, import.meta.url));
main.initSync({ module: wasm("gateway") });
const validateWasm = validate.initSync({ module: wasm("validate") });

const MEGABYTE = 1 << 20;

/** Values that are text: ordinary card fields and hostile strings. */
const TEXTS = [
  "", " ", "4", "41", "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111112", "378282246310005", "3782 822463 10005",
  "5555555555554444", "2221000000000009", "6011111111111117", "3530111333300000", "6200000000000005", "2200000000000004",
  "36227206271667", "6759649826438453", "4111111111111111111", "41111111111111111111", "4111x", "٤١١١", "6", "62", "5",
  "12/27", "12 / 27", "12 27", "1227", "12/2027", "2027-12", "01 2030", "1 30", "12027", "127", "13/27", "00/27", "1/", "12/", "11/26",
  "10/26", "12/99", "12/2099", "1", "12", "123", "1234", "12345", "12a", "JOHN SMITH", "4111-1111", "4111 1111", "  ", "-", "José Ñúñez",
  "a".repeat(50), "a".repeat(51), "ÿ".repeat(60), "Visa", "visa", "AMEX", "amex", "mir", "unknown", "\uD800", "4111\uDC00 1111 1111 1111",
  "\u0000\u0007\u001b[0m\r\n", "é€😀", "4".repeat(MEGABYTE), "é€😀".repeat(MEGABYTE / 8), "\uD83D".repeat(MEGABYTE / 2),
];

/** Values no declaration allows, made afresh for each call (some are one-shot). */
const OTHERS = {
  undefined: () => undefined,
  null: () => null,
  "0": () => 0,
  NaN: () => NaN,
  "4111111111111111 (number)": () => 4111111111111111,
  true: () => true,
  "10n": () => 10n,
  Symbol: () => Symbol("s"),
  "[]": () => [],
  "['4111']": () => ["4111"],
  "{}": () => ({}),
  "a function": () => () => "4111",
  "a String object": () => new String("4111111111111111"),
  "a Date": () => new Date(2030, 0, 1),
  "an invalid Date": () => new Date(NaN),
  "a Proxy of a Date": () => new Proxy(new Date(), {}),
  "a Proxy whose traps throw": () => new Proxy({}, { get() { throw new Error("get"); }, has() { throw new Error("has"); }, ownKeys() { throw new Error("ownKeys"); } }),
  "a revoked Proxy": () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; },
  "toString and valueOf": () => ({ toString: () => "4111111111111111", valueOf: () => 4111111111111111 }),
  "toString that throws": () => ({ toString() { throw new Error("toString"); } }),
  "a Symbol.toStringTag of Array": () => ({ [Symbol.toStringTag]: "Array" }),
  "a class instance": () => new (class Card { number = "4111111111111111"; })(),
  "an object with a null prototype": () => Object.assign(Object.create(null), { number: "4111111111111111", printedName: "JOHN SMITH" }),
};

/** Each value, text or not, as a maker. */
const VALUES = [...TEXTS.map((text) => [JSON.stringify(text.length > 40 ? `${text.slice(0, 20)}… (${text.length})` : text), () => text]), ...Object.entries(OTHERS)];

/** Objects whose every read is written down: getters (one throws when asked to) and Proxy traps. */
function traced(trace, fields, { throwing = [] } = {}) {
  const object = {};
  for (const [key, value] of Object.entries(fields)) {
    Object.defineProperty(object, key, {
      enumerable: true,
      get() {
        trace.push(`get ${key}`);
        if (throwing.includes(key)) throw new Error(`${key} throws`);
        return value;
      },
    });
  }
  return new Proxy(object, {
    get(target, key, receiver) {
      trace.push(`proxy get ${String(key)}`);
      return Reflect.get(target, key, receiver);
    },
    ownKeys(target) {
      trace.push("ownKeys");
      return Reflect.ownKeys(target);
    },
    getPrototypeOf(target) {
      trace.push("getPrototypeOf");
      return Reflect.getPrototypeOf(target);
    },
  });
}

/** What a call came to: its result, or what it threw. */
function outcome(call) {
  try {
    return { returned: call() };
  } catch (error) {
    return { threw: { name: error?.name, code: error?.code, path: error?.path, message: error?.message, keys: Object.keys(error ?? {}) } };
  }
}

/** The same call against both entry points: equal outcomes (key order included), equal reads. */
function same(label, call) {
  const [mainTrace, validateTrace] = [[], []];
  const expected = outcome(() => call(main, mainTrace));
  const actual = outcome(() => call(validate, validateTrace));
  assert.deepEqual(actual, expected, label);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), `${label}: key order`);
  assert.deepEqual(validateTrace, mainTrace, `${label}: reads`);
}

const TODAYS = {
  absent: () => undefined,
  null: () => null,
  "{ year, month }": () => ({ year: 2026, month: 11 }),
  "a Date": () => new Date(2026, 10, 15),
  "a year of 3 digits": () => ({ year: 999, month: 5 }),
  "month 13": () => ({ year: 2026, month: 13 }),
  "a fraction": () => ({ year: 2026.5, month: 1 }),
  "-0": () => ({ year: 2026, month: -0 }),
  "2^32": () => ({ year: 2 ** 32, month: 1 }),
  "a string": () => ({ year: "2026", month: 11 }),
  "one more key": () => ({ year: 2026, month: 11, day: 1 }),
  "a symbol key": () => ({ year: 2026, month: 11, [Symbol("s")]: 1 }),
  "only year": () => ({ year: 2026 }),
  "a number": () => 202611,
  "a string today": () => "2026-11",
  "an invalid Date": () => new Date(NaN),
  "a Proxy of a Date": () => new Proxy(new Date(), {}),
  "a Proxy whose traps throw": OTHERS["a Proxy whose traps throw"],
  "a revoked Proxy": OTHERS["a revoked Proxy"],
  "[]": () => [],
  "year 275760": () => new Date(8.64e15),
};

test("each single-field validator answers alike for every value, text or not", () => {
  for (const [name, make] of VALUES) {
    same(`validateCardNumber(${name})`, (module) => module.validateCardNumber(make()));
    same(`detectBrand(${name})`, (module) => module.detectBrand(make()));
    same(`formatCardNumber(${name})`, (module) => module.formatCardNumber(make()));
    same(`validateExpiry(${name})`, (module) => module.validateExpiry(make(), { year: 2026, month: 11 }));
    same(`validateExpiry(${name}, today absent)`, (module) => module.validateExpiry(make()));
    same(`validateCvv(${name})`, (module) => module.validateCvv(make()));
    same(`validateHolder(${name})`, (module) => module.validateHolder(make()));
    for (const [brandName, brand] of VALUES.filter(([, make]) => typeof make() !== "string" || make().length < 20)) {
      same(`validateCvv(${name}, ${brandName})`, (module) => module.validateCvv(make(), brand()));
    }
  }
});

test("today is read alike: the same months, the same refusals", () => {
  for (const [name, today] of Object.entries(TODAYS)) {
    for (const expiry of ["12/27", "11/26", "10/26", "01 2030", "12027", "127", 5]) {
      same(`validateExpiry(${expiry}, ${name})`, (module) => module.validateExpiry(expiry, today()));
      same(`validateCard({ expiry: ${expiry} }, ${name})`, (module) => module.validateCard({ number: "4111111111111111", expiry, cvv: "123", holder: "JOHN SMITH" }, today()));
    }
  }
  // A today whose reads are traced: the same keys are asked, in the same order.
  same("validateExpiry(traced today)", (module, trace) => module.validateExpiry("12/27", traced(trace, { year: 2026, month: 11 })));
  same("validateCard(traced card, bad today): today is refused before the card is read", (module, trace) =>
    module.validateCard(traced(trace, { number: "4111111111111111", expiry: "12/27" }), traced(trace, { year: 99, month: 1 })));
});

test("holders and cards answer alike, their parts read in the same order", () => {
  const parts = [["JOHN", "JOHN"], ["SMITH", "SMITH"], ["4111 1111", "4111 1111"], ["4111-1111", "4111-1111"], ["", ""], ["a".repeat(51), "51 a"], ["\uD800", "a lone surrogate"]]
    .map(([value, name]) => [name, () => value])
    .concat(Object.entries(OTHERS).filter(([name]) => ["undefined", "null", "0", "{}", "[]", "a String object", "toString and valueOf"].includes(name)));
  for (const [firstName, first] of parts) {
    for (const [lastName, last] of parts) {
      same(`validateHolder({ ${firstName}, ${lastName} })`, (module) => module.validateHolder({ firstName: first(), lastName: last() }));
    }
    same(`validateHolder({ printedName: ${firstName} })`, (module) => module.validateHolder({ printedName: first() }));
    same(`validateHolder({ all three: ${firstName} })`, (module) => module.validateHolder({ firstName: first(), lastName: first(), printedName: first() }));
  }
  for (const throwing of [[], ["firstName"], ["lastName"], ["printedName"]]) {
    same(`validateHolder(traced, ${throwing} throws)`, (module, trace) =>
      module.validateHolder(traced(trace, { firstName: "JOHN", lastName: "4111", printedName: "X" }, { throwing })));
  }
  const today = { year: 2026, month: 11 };
  const cards = [
    { number: "4111 1111 1111 1111", expiry: "12/27", cvv: "123", holder: "JOHN SMITH" },
    { number: "378282246310005", expiry: "12/27", cvv: "123", holder: { firstName: "JOHN", lastName: "SMITH" } },
    { number: "378282246310005", expiry: "12/27", cvv: "1234", holder: { printedName: "JOHN SMITH" } },
    { number: "4111111111111112", expiry: "12/25", cvv: "12a", holder: { firstName: "", lastName: "4111" } },
    { number: 4111111111111111, expiry: 1227, cvv: 123, holder: ["JOHN"] },
    { number: "", expiry: "", cvv: "", holder: "" },
    {},
  ];
  for (const card of cards) same(`validateCard(${JSON.stringify(card)})`, (module) => module.validateCard(card, today));
  for (const [name, make] of VALUES) {
    same(`validateCard(${name})`, (module) => module.validateCard(make(), today));
    same(`validateCard({ every field ${name} })`, (module) => {
      const value = make();
      return module.validateCard({ number: value, expiry: value, cvv: value, holder: value }, today);
    });
  }
  for (const throwing of [[], ["number"], ["expiry"], ["cvv"], ["holder"]]) {
    same(`validateCard(traced, ${throwing} throws)`, (module, trace) =>
      module.validateCard(traced(trace, { number: "4111111111111111", expiry: "12/27", cvv: "123", holder: traced(trace, { firstName: "A", lastName: "B" }) }, { throwing }), today));
  }
});

test("the validate entry point exports exactly the validators, plus init and initSync", () => {
  assert.deepEqual(Object.keys(validate).sort(), ["default", "detectBrand", "formatCardNumber", "initSync", "validateCard", "validateCardNumber", "validateCvv", "validateExpiry", "validateHolder"]);
});

test("no card data is left in the validate entry's memory once its validators answered", () => {
  const [pan, formatted, cvv, holder] = ["4000056655665556", "4000 0566 5566 5556", "7391", "ZELDA QUIXOTE"];
  validate.validateCardNumber(pan);
  validate.validateCardNumber(formatted);
  validate.formatCardNumber(pan);
  validate.detectBrand(pan);
  validate.validateCvv(cvv, "visa");
  validate.validateHolder(holder);
  validate.validateCard({ number: pan, expiry: "12/27", cvv, holder: { printedName: holder } }, { year: 2026, month: 11 });
  const memory = Buffer.from(validateWasm.memory.buffer);
  // This is the module's memory: the codes' table is in it.
  assert.notEqual(memory.indexOf("card.number.luhn"), -1);
  for (const text of [pan, formatted, holder, cvv]) assert.equal(memory.indexOf(text), -1, `${text} in memory`);
});
