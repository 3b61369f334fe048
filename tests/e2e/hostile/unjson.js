// Values JSON cannot carry, placed where a request's text, whole numbers, numbers and booleans
// belong: each must be refused at its own path with a code (never `request.required`, never
// accepted, and no other field blamed) by validatePerformSale and validateV2Sale. Shared by Node (unjson.test.mjs) and the
// browsers (suite.js exposes it as window.runUnjsonCases).

const TODAY = { year: 2026, month: 11 };
const GETTER = Symbol("a getter that throws");

/** The values, each made fresh. */
const VALUES = {
  "NaN": () => NaN,
  "Infinity": () => Infinity,
  "-Infinity": () => -Infinity,
  "a fraction": () => 10.5,
  "2^53 + 2": () => 2 ** 53 + 2,
  "an object": () => ({}),
  "an array": () => ["a@b.co"],
  "a String object": () => new String("a@b.co"),
  "a Number object": () => new Number(7),
  "a Boolean object": () => new Boolean(true),
  "a Date": () => new Date(2030, 0, 1),
  "a Map": () => new Map([["number", "4111111111111111"]]),
  "an object with toJSON": () => ({ toJSON() { return "a@b.co"; } }),
  "a BigInt": () => 10n,
  "a getter that throws": () => GETTER,
  "a revoked Proxy": () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; },
  "text with a lone surrogate": () => "a@b.co\uD800",
};

/** Values a field of that kind may hold (or, for an object, reads key by key). */
const FINE = {
  number: new Set(["a fraction", "2^53 + 2"]),
  object: new Set(["an object", "an object with toJSON"]),
};

const perform = () => ({
  endpointId: "1111",
  invoiceId: "INV-1",
  consumer: { device: { serialNumber: "SN-1" }, email: "payer@example.com" },
  session: { accessToken: "a".repeat(40), nonce: "b".repeat(40), signature: "c".repeat(40) },
  sourceOfFunds: { card: { number: "4111111111111111", securityCode: "123", expiry: { month: 12, year: 2030 }, holder: { printedName: "JOHN SMITH" } } },
  transaction: { amountCentis: 1042, currency: "EUR" },
  location: { lat: 52.52, lng: 13.405 },
});

const v2 = () => ({
  endpointId: "39529",
  clientOrderId: "ORDER-1",
  orderDesc: "Order 1",
  amount: "10.42",
  currency: "EUR",
  address1: "100 Main st",
  city: "Seattle",
  zipCode: "98102",
  country: "DE",
  phone: "12063582043",
  email: "john.smith@example.com",
  creditCardNumber: "4111111111111111",
  cardPrintedName: "JOHN SMITH",
  expireMonth: "12",
  expireYear: "2030",
  cvv2: "123",
  firstName: "John",
  lastName: "Smith",
  browser: {
    javascriptEnabled: true, javaEnabled: false, colorDepth: 24, screenHeight: 1080, screenWidth: 1920, timeZone: -60,
    acceptLanguage: "de-DE", userAgent: "Mozilla/5.0", acceptHeader: "text/html", ipAddress: "203.0.113.7",
  },
});

/** Where each value goes: [export, base request, path, what belongs there]. */
const PLACES = [
  ["validatePerformSale", perform, "invoiceId", "text"],
  ["validatePerformSale", perform, "consumer.email", "text"],
  ["validatePerformSale", perform, "sourceOfFunds.card.number", "text"],
  ["validatePerformSale", perform, "transaction.currency", "text"],
  ["validatePerformSale", perform, "transaction.amountCentis", "integer"],
  ["validatePerformSale", perform, "sourceOfFunds.card.expiry.month", "integer"],
  ["validatePerformSale", perform, "location.lat", "number"],
  ["validatePerformSale", perform, "sourceOfFunds.card", "object"],
  ["validatePerformSale", perform, "transaction", "object"],
  ["validatePerformSale", perform, "location", "object"],
  ["validateV2Sale", v2, "amount", "text"],
  ["validateV2Sale", v2, "email", "text"],
  ["validateV2Sale", v2, "creditCardNumber", "text"],
  ["validateV2Sale", v2, "browser.userAgent", "text"],
  ["validateV2Sale", v2, "browser.screenHeight", "integer"],
  ["validateV2Sale", v2, "browser.timeZone", "integer"],
  ["validateV2Sale", v2, "browser.javascriptEnabled", "boolean"],
  ["validateV2Sale", v2, "cvv2", "text"],
  ["validateV2Sale", v2, "expireMonth", "text"],
  ["validateV2Sale", v2, "browser.colorDepth", "integer"],
  ["validateV2Sale", v2, "browser", "object"],
];

/** `request` with `value` at `path` (a getter that throws, for GETTER). */
function place(request, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  const parent = keys.reduce((object, key) => object[key], request);
  if (value === GETTER) {
    delete parent[last];
    Object.defineProperty(parent, last, { enumerable: true, configurable: true, get() { throw new Error("a getter that throws"); } });
  } else {
    parent[last] = value;
  }
  return request;
}

/** Runs every case; resolves to { failures, checked }. */
export function run(connpay) {
  const failures = [];
  let checked = 0;
  for (const [name, base, path, kind] of PLACES) {
    if (connpay[name](base(), TODAY).valid !== true) failures.push(`${name}: the base request is not valid`);
    for (const [label, make] of Object.entries(VALUES)) {
      if (FINE[kind]?.has(label)) continue;
      checked += 1;
      let result;
      try {
        result = connpay[name](place(base(), path, make()), TODAY);
      } catch (error) {
        failures.push(`${name} ${path} = ${label}: threw ${error?.code ?? error}`);
        continue;
      }
      // Exactly one problem, at its own path, with a code that says what is wrong (a value that is
      // there is never "required", and nothing else is blamed for it).
      const problems = result.errors.map((error) => `${error.path} ${error.code}`);
      const [only] = result.errors;
      if (result.valid) failures.push(`${name} ${path} = ${label}: accepted`);
      else if (result.errors.length !== 1 || only.path !== path || !only.code || only.code === "request.required") {
        failures.push(`${name} ${path} = ${label}: ${problems.join(", ")}`);
      }
    }
  }
  // Lists: a hole is not filled from a polluted Array.prototype, and an array whose length
  // cannot be read is refused, never read as empty.
  for (const [label, list, at] of [
    ["a hole with Array.prototype[1] set", () => ["203.0.113.7", , "203.0.113.8"], "consumer.ipAddresses[1]"],
    ["a Proxy whose length throws", () => new Proxy(["203.0.113.7"], { get(target, key) { if (key === "length") throw new Error("length"); return target[key]; } }), "consumer.ipAddresses"],
  ]) {
    checked += 1;
    Array.prototype[1] = "9.9.9.9";
    try {
      const request = perform();
      request.consumer.ipAddresses = list();
      const result = connpay.validatePerformSale(request, TODAY);
      const found = result.errors.find((error) => error.path === at);
      if (result.valid || !found || found.code === "request.required") failures.push(`ipAddresses as ${label}: ${JSON.stringify(result.errors)}`);
    } finally {
      delete Array.prototype[1];
    }
  }
  // A key that cannot be read back by its name (a lone surrogate in it) is refused, not dropped.
  for (const [name, base] of [["validatePerformSale", perform], ["validateV2Sale", v2]]) {
    checked += 1;
    const request = base();
    request["emai\uDC00l"] = "x";
    const result = connpay[name](request, TODAY);
    if (result.valid || !result.errors.some((error) => error.code === "request.unknown_field")) {
      failures.push(`${name} with a key holding a lone surrogate: ${JSON.stringify(result.errors)}`);
    }
  }
  // A holder whose every property throws is not text, not two forms of a name at once.
  checked += 1;
  const holder = connpay.validateHolder(new Proxy({}, { get() { throw new Error("get"); } }));
  if (holder.valid || holder.code !== "card.holder.type") failures.push(`validateHolder(a Proxy that throws): ${holder.code}`);
  return { failures, checked };
}
