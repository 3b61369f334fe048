// The demo card form: every keystroke goes through connpay-checkout's validators.
// No card data is logged, stored, or written to DOM attributes: only input values hold it.
import init, {
  detectBrand,
  validateCardNumber,
  validateCvv,
  validateExpiry,
  validateHolder,
} from "/pkg/connpay_checkout.js";

const MESSAGES = {
  "card.number.empty": "Enter the card number.",
  "card.number.invalid_characters": "Use digits only.",
  "card.number.unknown_brand": "This card brand is not accepted.",
  "card.number.incomplete": "The card number is incomplete.",
  "card.number.too_long": "The card number is too long.",
  "card.number.luhn": "This card number is not valid; check for a typo.",
  "card.expiry.empty": "Enter the expiry date.",
  "card.expiry.format": "Enter the expiry as MM / YY.",
  "card.expiry.incomplete": "The expiry date is incomplete.",
  "card.expiry.month": "The month must be 01 to 12.",
  "card.expiry.past": "This card has expired.",
  "card.expiry.too_far": "The expiry date is too far in the future.",
  "card.cvv.empty": "Enter the security code.",
  "card.cvv.invalid_characters": "Use digits only.",
  "card.cvv.incomplete": "The security code is too short.",
  "card.cvv.too_long": "The security code is too long.",
  "card.holder.empty": "Enter the name on the card.",
  "card.holder.too_long": "At most 50 characters.",
  "card.holder.digits_only": "Enter a name, not digits.",
  "card.holder.invalid_characters": "The name contains characters that cannot be used.",
};

const $ = (id) => document.getElementById(id);
const form = $("card-form");
const fields = {
  number: $("card-number"),
  expiry: $("card-expiry"),
  cvv: $("card-cvv"),
  holder: $("card-holder"),
};

/** Each field's latest result: the summary and the CVV's brand come from here, not re-validation. */
const results = {};

/** Shows a field's result: "Valid", nothing while still typing, or the reason it is wrong. */
function show(input, result) {
  results[input.name] = result;
  const state = $(input.getAttribute("aria-describedby"));
  const shown = result.valid ? "valid" : result.potentiallyValid ? "typing" : "invalid";
  input.dataset.state = shown;
  input.setAttribute("aria-invalid", String(shown === "invalid"));
  state.dataset.state = shown;
  state.textContent = result.valid
    ? "Valid"
    : shown === "invalid"
      ? (MESSAGES[result.code] ?? "Check this field.")
      : "";
}

/** Reformats the number in place, keeping the caret after the same count of digits. */
function reformat(input, formatted) {
  if (input.value === formatted) return;
  const caret = input.selectionStart ?? input.value.length;
  const digitsBefore = input.value.slice(0, caret).replace(/\D/g, "").length;
  input.value = formatted;
  let position = 0;
  for (let seen = 0; position < formatted.length && seen < digitsBefore; position++) {
    if (/\d/.test(formatted[position])) seen++;
  }
  input.setSelectionRange(position, position);
}

function checkNumber() {
  const result = validateCardNumber(fields.number.value);
  // Letters stay visible so the payer sees what is wrong; otherwise show the brand's groups.
  if (result.code !== "card.number.invalid_characters") reformat(fields.number, result.formatted);
  $("card-brand").textContent = result.brand ? detectBrand(result.formatted).name : "";
  show(fields.number, result);
  if (fields.cvv.value) checkCvv();
}

function checkExpiry() {
  show(fields.expiry, validateExpiry(fields.expiry.value));
}

function checkCvv() {
  show(fields.cvv, validateCvv(fields.cvv.value, results.number?.brand ?? null));
}

function checkHolder() {
  show(fields.holder, validateHolder(fields.holder.value));
}

function summarize() {
  const complete = Object.keys(fields).every((name) => results[name]?.valid);
  $("card-summary").textContent = complete ? "The card details are complete and valid." : "";
}

await init();
const checks = { number: checkNumber, expiry: checkExpiry, cvv: checkCvv, holder: checkHolder };
for (const [name, input] of Object.entries(fields)) {
  input.addEventListener("input", () => {
    checks[name]();
    summarize();
  });
}
form.addEventListener("submit", (event) => event.preventDefault());
form.dataset.ready = "true";
