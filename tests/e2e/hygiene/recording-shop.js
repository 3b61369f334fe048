// The demo page's script for the card-data hygiene test (served in place of www/demo.js): the
// demo's checkout with every callback's argument recorded in `window.recorded`, and the module's
// memory in `window.connpayMemory`, for the test to search.
import init, { mountCheckout } from "/pkg/connpay_checkout.js";
import { settleUncertain, shopCheckout } from "/shop-server.js";

const { memory } = await init();
window.connpayMemory = memory;
window.recorded = [];
const record = (name, end) => (value) => {
  window.recorded.push({ name, value });
  if (end) form.dataset.outcome = end(value);
};
const form = document.getElementById("checkout");
const checkout = mountCheckout(form, {
  ...shopCheckout,
  pollIntervalMs: 300,
  onChange: record("onChange"),
  onBrand: record("onBrand"),
  onSubmit: record("onSubmit", () => "pending"),
  onSuccess: record("onSuccess", () => "approved"),
  onError: (error) => {
    record("onError", (error) => error.code)(error);
    if (error.next === "merchant") {
      settleUncertain(checkout, error.invoiceId).then(() => { form.dataset.settled = error.invoiceId; });
    }
  },
  onRedirect: record("onRedirect"),
});
form.dataset.ready = "true";
