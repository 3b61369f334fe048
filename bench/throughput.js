// Full-card validation per second, this module against card-validator (which detects the brand
// with credit-card-type), on the same inputs in the same page. scripts/bench.mjs calls
// window.bench.round() several times and takes medians.
// The validators' own entry point: what a page that validates imports.
import init, { validateCard } from "connpay-checkout/validate";
import cardValidator from "card-validator";
import { cardSets } from "./cards.js";

const CARDS = cardSets(1000);
const TODAY = { year: 2026, month: 11 };

/** One full-card check with card-validator: what a merchant would write by hand. */
function withCardValidator({ number, expiry, cvv, holder }) {
  const numberResult = cardValidator.number(number);
  const expiryResult = cardValidator.expirationDate(expiry);
  const cvvResult = cardValidator.cvv(cvv, numberResult.card?.code.size ?? [3, 4]);
  const holderResult = cardValidator.cardholderName(holder);
  return numberResult.isValid && expiryResult.isValid && cvvResult.isValid && holderResult.isValid;
}

const withThisModule = (card) => validateCard(card, TODAY).valid;

/** Validations per second of `validate` over the inputs, repeated for at least `ms`. */
function rate(validate, ms) {
  let count = 0;
  let valid = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const card of CARDS) if (validate(card)) valid++;
    count += CARDS.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return { perSecond: (count / elapsed) * 1000, validShare: valid / count };
}

await init();
// Both see every input once before timing (the JIT warms up; the .wasm is compiled).
rate(withThisModule, 200);
rate(withCardValidator, 200);
window.bench = {
  round: (ms) => ({ module: rate(withThisModule, ms), cardValidator: rate(withCardValidator, ms) }),
};
document.body.dataset.ready = "true";
