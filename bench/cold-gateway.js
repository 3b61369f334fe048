import { measureColdStart } from "./cold.js";

await measureColdStart(() => import("connpay-checkout/gateway"));
