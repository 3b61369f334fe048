// The merchant's page script. It imports the package by its name; the consumer test rewrites that
// one specifier to the file's path for the page that loads it without a bundler.
import init, { mountCheckout, validateCardNumber } from "connpay-checkout";
import { shopCheckout } from "./shop-server.js";

await init();
const form = document.getElementById("checkout");
// The low-level API in the same bundle: a Luhn-valid and a Luhn-invalid number.
form.dataset.luhn = `${validateCardNumber("4111 1111 1111 1111").valid} ${validateCardNumber("4111 1111 1111 1112").code}`;
mountCheckout(form, {
  ...shopCheckout,
  pollIntervalMs: 300,
  onSuccess: (result) => { form.dataset.outcome = `approved ${result.brand} ${result.last4}`; },
  onError: (error) => { form.dataset.outcome = error.code; },
});
form.dataset.ready = "true";
