// The validators of the `connpay-checkout/validate` entry point. scripts/build.mjs appends this
// file to the entry's wasm-bindgen glue (one module, then minified), whose lean* functions
// (src/lean.rs) it calls: here the page's values are read as the other entry points read them in
// wasm (src/js.rs: a string is text, undefined and null are absent, anything else is not text;
// getters run once, in the same order, and one that throws makes its field not text), and the
// numbers the wasm answers become the documented result objects. Every rule, code and word is the
// core's; nothing here keeps a value it was given.

/** How a value reached a validator (src/lean.rs: ABSENT, TEXT, anything else not text). */
const ABSENT = 0;
const TEXT = 1;
const NOT_TEXT = 2;
/** The parts of a holder's name, in the core's `HolderField` order. */
const HOLDER_PARTS = ["firstName", "lastName", "printedName"];

/** A value as `[text, kind]`: only a string is text; it is never coerced. */
const read = (value) => (typeof value === "string" ? [value, TEXT] : ["", value === undefined || value === null ? ABSENT : NOT_TEXT]);

/** `object[key]`, read once; a getter or a Proxy trap that throws makes it not text. */
function readField(object, key) {
  try {
    return read(Reflect.get(object, key));
  } catch {
    return ["", NOT_TEXT];
  }
}

/** An object of fields (`[object Object]`): not an array, a `Date`, a `String` object, or a Proxy whose traps throw. */
function isFields(value) {
  if (typeof value !== "object" || value === null) return false;
  try {
    return !Array.isArray(value) && Object.prototype.toString.call(value) === "[object Object]";
  } catch {
    return false;
  }
}

/** A holder that is neither a string nor an object of name parts, or could not be read. */
const HOLDER_NOT_TEXT = [["", ABSENT], ["", ABSENT], ["", NOT_TEXT]];

/** `{ firstName, lastName }` or `{ printedName }` (all three read), or a string: the printed name. */
function readHolder(value) {
  if (!isFields(value)) return [["", ABSENT], ["", ABSENT], read(value)];
  let unreadable = false;
  const parts = HOLDER_PARTS.map((key) => {
    try {
      return read(Reflect.get(value, key));
    } catch {
      unreadable = true;
      return ["", NOT_TEXT];
    }
  });
  return unreadable ? HOLDER_NOT_TEXT : parts;
}

/** Kinds packed two bits each, in the order given. */
const kindsOf = (values) => values.reduce((kinds, [, kind], index) => kinds | (kind << (2 * index)), 0);

/** `[year, month]` of a Date as the browser's clock reads it (NaN of an invalid Date becomes 0, refused). */
const monthOf = (date) => [date.getFullYear() >>> 0, (date.getMonth() >>> 0) + 1];

/** A whole number from 0 to 2^32 − 1 at `key` of `today`, or null. */
function wholeAt(today, key) {
  try {
    const number = Reflect.get(today, key);
    return typeof number === "number" && Number.isInteger(number) && number >= 0 && number <= 4294967295 ? number : null;
  } catch {
    return null;
  }
}

/** `today` as `[year, month]`; `[0, 0]` (refused) when it is neither a Date nor exactly `{ year, month }`. */
function todayParts(today) {
  if (today === undefined || today === null) return monthOf(new Date());
  let isDate;
  try {
    isDate = today instanceof Date;
  } catch {
    isDate = false;
  }
  if (isDate) {
    try {
      // Date.prototype.getTime refuses anything but a real Date (a Proxy of one passes instanceof).
      return monthOf(new Date(Date.prototype.getTime.call(today)));
    } catch {
      return [0, 0];
    }
  }
  let keys;
  try {
    keys = Reflect.ownKeys(today);
  } catch {
    return [0, 0];
  }
  if (keys.some((key) => key !== "year" && key !== "month")) return [0, 0];
  const [year, month] = [wholeAt(today, "year"), wholeAt(today, "month")];
  return year === null || month === null ? [0, 0] : [year, month];
}

/** Reads `today`, or throws the `argument.invalid` ConnPayError at `today` that the core words. */
function readToday(today) {
  const parts = todayParts(today);
  const refusal = leanToday(...parts);
  if (refusal === undefined) return parts;
  const error = new Error(refusal);
  error.name = "ConnPayError";
  error.code = "argument.invalid";
  error.path = "today";
  throw error;
}

/** Reads the wasm's answers in order, each call taking the next ones. */
function reader(numbers) {
  let at = 0;
  const next = () => numbers[at++];
  const code = (number) => leanCode(number - 1);
  const verdict = () => {
    const result = { valid: next() === 1, potentiallyValid: next() === 1 };
    const number = next();
    if (number) result.code = code(number);
    return result;
  };
  return {
    valid: () => next() === 1,
    verdict,
    number: (formatted) => {
      const result = verdict();
      const brand = next();
      return Object.assign(result, { brand: brand ? leanBrandText(brand - 1, false) : null, formatted });
    },
    expiry: () => {
      const result = verdict();
      return Object.assign(result, { month: next() || null, year: next() || null });
    },
    /** The holder's problems are the rest of the answer. */
    holder: () => {
      const result = verdict();
      const errors = [];
      while (at < numbers.length) errors.push({ field: HOLDER_PARTS[next()], code: code(next()) });
      return Object.assign(result, { errors });
    },
  };
}

const formattedOf = ([text, kind]) => (kind === TEXT ? leanFormat(text) : "");

export function validateCardNumber(value) {
  const number = read(value);
  return reader(leanNumber(...number)).number(formattedOf(number));
}

export function detectBrand(value) {
  const brand = leanDetect(typeof value === "string" ? value : "");
  if (!brand) return null;
  const [cvvLength, count, ...rest] = leanBrandNumbers(brand - 1);
  const lengths = rest.slice(0, count);
  return { id: leanBrandText(brand - 1, false), name: leanBrandText(brand - 1, true), lengths, cvvLength, gaps: rest.slice(count) };
}

export function formatCardNumber(value) {
  return leanFormat(typeof value === "string" ? value : "");
}

export function validateExpiry(value, today) {
  const [year, month] = readToday(today);
  return reader(leanExpiry(...read(value), year, month)).expiry();
}

export function validateCvv(value, brandId) {
  return reader(leanCvv(...read(value), typeof brandId === "string" ? brandId : "")).verdict();
}

export function validateHolder(holder) {
  const parts = readHolder(holder);
  return reader(leanHolder(...parts.map(([text]) => text), kindsOf(parts))).holder();
}

export function validateCard(card, today) {
  const [year, month] = readToday(today);
  const fields = isFields(card);
  const field = (key) => (fields ? readField(card, key) : ["", NOT_TEXT]);
  const [number, expiry, cvv] = [field("number"), field("expiry"), field("cvv")];
  let holder = HOLDER_NOT_TEXT;
  if (fields) {
    try {
      holder = readHolder(Reflect.get(card, "holder"));
    } catch {
      // A getter that throws makes the holder not text.
    }
  }
  const values = [number, expiry, cvv, ...holder];
  const answer = reader(leanCard(...values.map(([text]) => text), kindsOf(values), year, month));
  const valid = answer.valid();
  return { valid, number: answer.number(formattedOf(number)), expiry: answer.expiry(), cvv: answer.verdict(), holder: answer.holder() };
}
