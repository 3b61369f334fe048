// Keystroke cost through mountCheckout: from an `input` event to the field formatted, validated
// and marked (the listeners run synchronously inside dispatchEvent), with an onChange callback as
// a merchant would have. scripts/bench.mjs reads the samples and computes p50 and p99.
import init, { mountCheckout } from "connpay-checkout";
import { cardSets } from "./cards.js";

await init();
const form = document.getElementById("checkout");
let changes = 0;
mountCheckout(form, {
  gateway: location.origin,
  amountCentis: 1042,
  currency: "EUR",
  consumer: { email: "payer@example.com" },
  getSession: () => { throw new Error("the benchmark never submits"); },
  onChange: () => { changes++; },
});

/** Types `text` into `input` one character at a time at the caret, as a browser would. */
function type(input, text, samples) {
  input.focus();
  for (const character of text) {
    const caret = input.selectionStart ?? input.value.length;
    input.value = input.value.slice(0, caret) + character + input.value.slice(caret);
    input.setSelectionRange(caret + 1, caret + 1);
    const event = new InputEvent("input", { bubbles: true, inputType: "insertText", data: character });
    const start = performance.now();
    input.dispatchEvent(event);
    samples.push(performance.now() - start);
  }
}

function clear(input) {
  input.value = "";
  input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "deleteContentBackward" }));
}

window.bench = {
  /** Types `count` cards into the four fields; answers every keystroke's milliseconds. */
  run(count) {
    const samples = [];
    for (const card of cardSets(count)) {
      for (const [name, text] of Object.entries(card)) type(form.elements[name], text, samples);
      for (const name of Object.keys(card)) clear(form.elements[name]);
    }
    return { samples, changes };
  },
};
document.body.dataset.ready = "true";
