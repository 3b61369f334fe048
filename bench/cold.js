// Cold start: from import() of an entry point to the module being ready (init() resolved and a
// first call answered: a validation, or for the drop-in's entry, which has no validators, its
// Gateway). scripts/bench.mjs opens one page per entry point, cold-<entry>.html,
// in a fresh browser context each time.
export async function measureColdStart(load) {
  const start = performance.now();
  const { default: init, validateCardNumber, Gateway } = await load();
  await init();
  if (validateCardNumber) validateCardNumber("4111 1111 1111 1111");
  else new Gateway("sandbox").free();
  const total = performance.now() - start;
  // How long the files requested by import() and init() took to arrive (resource timing: request
  // start to last byte); the page's own script was fetched before `start`.
  const fetched = (suffix) => performance.getEntriesByType("resource")
    .filter((entry) => entry.startTime >= start && entry.name.endsWith(suffix))
    .reduce((sum, entry) => sum + (entry.responseEnd - entry.startTime), 0);
  document.body.dataset.coldStartMs = JSON.stringify({ total, script: fetched(".js"), wasm: fetched(".wasm") });
}
