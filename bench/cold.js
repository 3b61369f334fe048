// Cold start: from import() of the package to the module being ready (init() resolved and a first
// validation answered). scripts/bench.mjs opens this page in a fresh browser context each time.
const start = performance.now();
const { default: init, validateCardNumber } = await import("connpay-checkout");
await init();
validateCardNumber("4111 1111 1111 1111");
document.body.dataset.coldStartMs = String(performance.now() - start);
