// The merchant's page as a React app: the card form is a component, the checkout is mounted in an
// effect and unmounted in its cleanup, under <StrictMode> (which, in a development build, mounts,
// unmounts and mounts every effect again). The effect depends on a callback made anew at every
// render, a common slip: every render after a payment mounts the checkout again on the same form.
// No JSX, so no plugin is needed to bundle it.
import { StrictMode, createElement as h, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import init, { mountCheckout } from "connpay-checkout";
import { shopCheckout } from "./shop-server.js";

await init();
window.effects = { mounted: 0, unmounted: 0 };

function CardForm() {
  const form = useRef(null);
  const [outcome, setOutcome] = useState();
  const onPaid = (result) => setOutcome(`approved ${result.brand} ${result.last4}`);
  useEffect(() => {
    window.effects.mounted += 1;
    const checkout = mountCheckout(form.current, {
      ...shopCheckout,
      pollIntervalMs: 300,
      onSuccess: onPaid,
      onError: (error) => setOutcome(error.code),
    });
    return () => {
      window.effects.unmounted += 1;
      checkout.unmount();
    };
  }, [onPaid]);
  const field = (id, label) => [h("label", { key: `${id}-label`, htmlFor: id }, label), h("input", { key: id, id, "data-connpay": id })];
  return h(
    "form",
    { id: "checkout", ref: form, "data-outcome": outcome, "data-ready": "true" },
    ...field("number", "Card number"),
    ...field("expiry", "Expiry date"),
    ...field("cvv", "Security code"),
    ...field("holder", "Name on card"),
    h("button", { type: "submit" }, "Pay"),
    h("p", { role: "status", "data-connpay": "status" }),
  );
}

createRoot(document.getElementById("root")).render(h(StrictMode, null, h(CardForm)));
