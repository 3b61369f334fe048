import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import init from "connpay-checkout";
import { Checkout } from "./Checkout.jsx";
import "./style.css";

// The module's default export fetches and instantiates the .wasm (Vite ships it as an asset):
// once, before any component can mount a checkout.
await init();

// StrictMode: in development React mounts every effect, unmounts it and mounts it again, which
// the checkout's effect must survive (see Checkout.jsx).
createRoot(document.getElementById("root")).render(
  <StrictMode>
    <Checkout />
  </StrictMode>,
);
