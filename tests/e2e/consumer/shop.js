// The merchant's page script. It imports the package by its name; the consumer test rewrites that
// one specifier to the file's path for the page that loads it without a bundler.
import init, { mountCheckout } from "connpay-checkout";
import initValidators, { validateCard, validateCardNumber } from "connpay-checkout/validate";
import { shopCheckout } from "./shop-server.js";

await Promise.all([init(), initValidators()]);
const form = document.getElementById("checkout");
// The validators in the same bundle: a Luhn-valid and a Luhn-invalid number.
form.dataset.luhn = `${validateCardNumber("4111 1111 1111 1111").valid} ${validateCardNumber("4111 1111 1111 1112").code}`;
// The validators' own entry point, with its own .wasm: an American Express card with a short code.
const card = validateCard({ number: "378282246310005", expiry: "12/27", cvv: "123", holder: "JOHN SMITH" }, { year: 2026, month: 11 });
form.dataset.validators = `${card.valid} ${card.number.brand} ${card.number.formatted} ${card.cvv.code}`;
mountCheckout(form, {
  ...shopCheckout,
  pollIntervalMs: 300,
  onSuccess: (result) => { form.dataset.outcome = `approved ${result.brand} ${result.last4}`; },
  onError: (error) => { form.dataset.outcome = error.code; },
});
form.dataset.ready = "true";
