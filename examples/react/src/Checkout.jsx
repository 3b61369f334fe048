// The shop's checkout as a React component: an order summary with a shipping choice that changes
// the amount, and a card form that connpay-checkout drives.
//
// - The card inputs are uncontrolled (no `value`, no `onChange`): the checkout formats them as the
//   payer types and keeps the caret where it belongs; React never writes them, and the card
//   never enters React's state (README.md says why).
// - The checkout is mounted once, in an effect, and unmounted in that effect's cleanup: StrictMode
//   mounts, unmounts and mounts again in development, and a form holds one checkout at a time.
// - A new amount goes to the mounted checkout through `update()`: nothing is mounted again.
import { useEffect, useRef, useState } from "react";
import { mountCheckout } from "connpay-checkout";
import { getSession, settleUncertain } from "./shop-server.js";

const CURRENCY = "EUR";
const ITEM = { name: "Ethiopia Yirgacheffe, 250 g", priceCentis: 1042 };
const SHIPPING = {
  standard: { label: "Standard shipping, 3–5 days", costCentis: 0 },
  express: { label: "Express shipping, next day", costCentis: 500 },
};
const money = new Intl.NumberFormat("en", { style: "currency", currency: CURRENCY });
const euros = (centis) => money.format(centis / 100);
const amountFor = (shipping) => ITEM.priceCentis + SHIPPING[shipping].costCentis;

export function Checkout() {
  const formRef = useRef(null);
  /** The mounted checkout: set by the mount effect, read by the amount effect. */
  const checkoutRef = useRef(null);
  const [shipping, setShipping] = useState("standard");
  /** The shipping whose amount the checkout holds (what a Pay charges). */
  const appliedShipping = useRef(shipping);
  /** "open": the order may change; "paying": a sale is on its way; "paid"; "doubt": its fate is unknown. */
  const [phase, setPhase] = useState("open");
  /** "approved", or the code of the last error: on the form's data-outcome. */
  const [outcome, setOutcome] = useState();
  const [paid, setPaid] = useState(null);
  const [notice, setNotice] = useState("");
  const amountCentis = amountFor(shipping);

  // Mount once. The options are read here, at mount; later amounts go through update() below, and
  // the callbacks only call state setters, which React keeps the same across renders.
  useEffect(() => {
    const checkout = mountCheckout(formRef.current, {
      gateway: location.origin, // the sandbox plays the gateway on the page's origin
      amountCentis: amountFor(appliedShipping.current),
      currency: CURRENCY,
      consumer: { email: "payer@example.com" },
      getSession,
      // A submit of a finished checkout (or one whose sale is in doubt) sends nothing: only an
      // open order starts paying.
      onSubmit: () => {
        setOutcome((last) => (last === "approved" ? last : undefined));
        setNotice("");
        setPhase((last) => (last === "open" ? "paying" : last));
      },
      onSuccess: (result) => {
        setPaid(result);
        setOutcome("approved");
        setPhase("paid");
      },
      onError: (error) => {
        setOutcome(error.code);
        // "retry": nothing was charged, the order may change again. "wait" and "merchant": the
        // sale may still be charged, so its amount stays as it is.
        setPhase(error.next === "retry" ? "open" : "doubt");
        if (error.next === "merchant") {
          // `checkout` reaches the form's current checkout even after this one was unmounted.
          settleUncertain(checkout, error.invoiceId).then(
            (state) => {
              if (state === "APPROVED") {
                setOutcome("approved");
                setPhase("paid");
              } else {
                setPhase("open");
              }
            },
            () => setNotice("We could not reach the shop to settle the payment. Please reload the page."),
          );
        }
      },
    });
    checkoutRef.current = checkout;
    return () => {
      checkoutRef.current = null;
      checkout.unmount();
    };
  }, []);

  // The amount changed: the mounted checkout takes it (the next getSession and perform sale carry
  // it). It refuses a new amount while a sale is on its way (`checkout.sale_in_flight`), which the
  // disabled shipping choice should prevent; if it happens anyway, the choice goes back to the
  // amount being paid, so that the page never shows one amount and charges another.
  useEffect(() => {
    const checkout = checkoutRef.current;
    if (!checkout || amountCentis === amountFor(appliedShipping.current)) return;
    try {
      checkout.update({ amountCentis });
      appliedShipping.current = shipping;
    } catch (error) {
      if (error?.name !== "ConnPayError") throw error;
      setShipping(appliedShipping.current);
      setNotice(`The order cannot change now (${error.code}).`);
    }
  }, [amountCentis, shipping]);

  return (
    <main className="shop">
      <section className="summary" aria-labelledby="summary-title">
        <h2 id="summary-title">Order summary</h2>
        <p className="line">
          <span>{ITEM.name}</span>
          <span>{euros(ITEM.priceCentis)}</span>
        </p>
        <fieldset className="shipping" disabled={phase !== "open"}>
          <legend>Shipping</legend>
          {Object.entries(SHIPPING).map(([id, option]) => (
            <label key={id} className="choice">
              <input
                type="radio"
                name="shipping"
                value={id}
                checked={shipping === id}
                onChange={() => setShipping(id)}
              />
              <span>{option.label}</span>
              <span>{option.costCentis === 0 ? "free" : `+${euros(option.costCentis)}`}</span>
            </label>
          ))}
        </fieldset>
        <p className="line total">
          <span>Total</span>
          <output aria-live="polite" data-testid="total">{euros(amountCentis)}</output>
        </p>
        {notice && <p className="notice" role="alert">{notice}</p>}
      </section>

      <section className="payment" aria-labelledby="payment-title">
        <h1 id="payment-title">Pay by card</h1>
        {/* Uncontrolled: no value, no onChange, no name (the card never goes anywhere but to the
            checkout). Everything the checkout writes into (errors, brand, status) has its own
            element here, so that it adds no node of its own inside React's tree. */}
        <form id="checkout" ref={formRef} noValidate data-outcome={outcome}>
          <label htmlFor="card-number">Card number</label>
          <div className="with-badge">
            <input id="card-number" data-connpay="number" placeholder="1234 1234 1234 1234" />
            <span className="badge" data-connpay="brand" />
          </div>
          <p className="connpay-error" data-connpay-error="number" />
          <div className="row">
            <div>
              <label htmlFor="card-expiry">Expiry date</label>
              <input id="card-expiry" data-connpay="expiry" placeholder="MM / YY" />
              <p className="connpay-error" data-connpay-error="expiry" />
            </div>
            <div>
              <label htmlFor="card-cvv">Security code</label>
              <input id="card-cvv" data-connpay="cvv" placeholder="CVV" />
              <p className="connpay-error" data-connpay-error="cvv" />
            </div>
          </div>
          <label htmlFor="card-holder">Name on card</label>
          <input id="card-holder" data-connpay="holder" placeholder="JOHN SMITH" />
          <p className="connpay-error" data-connpay-error="holder" />
          <button type="submit" className="pay">Pay</button>
          <p className="status" role="status" data-connpay="status" />
        </form>
        <p className="outcome" data-testid="outcome">
          {outcome === "approved" && paid
            ? `Approved: ${euros(paid.amountCentis)} paid with ${paid.brand ?? "card"} ending ${paid.last4}.`
            : outcome === "approved"
              ? "Approved."
              : outcome
                ? `Not paid: ${outcome}`
                : ""}
        </p>
      </section>
    </main>
  );
}
