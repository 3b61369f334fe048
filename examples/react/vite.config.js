// No React plugin: esbuild, which Vite already runs, compiles the JSX (React 17+'s automatic
// runtime: no `import React` in every file). No import of "vite" either, so that the config loads
// wherever the project is copied.
const sandbox = process.env.CONNPAY_SANDBOX ?? "http://127.0.0.1:8080";

export default {
  base: "./",
  esbuild: { jsx: "automatic" },
  // The dev server pre-bundles dependencies and would lose the .wasm beside the package's module
  // (`vite build` needs nothing: it ships the .wasm as an asset).
  // The JSX runtime is listed because the dev server finds it only once esbuild compiled the JSX,
  // and would reload the page on first start.
  optimizeDeps: { exclude: ["connpay-checkout"], include: ["react/jsx-dev-runtime"] },
  // `npm run dev`: the dev server's origin plays the shop's server and the gateway, as the sandbox
  // does when it serves the built page, by handing those paths to the sandbox. (A 3-D Secure
  // test card's window comes from the sandbox itself: start it with
  // `--allow-origin http://localhost:5173` so that it lets this origin frame that page.)
  server: {
    // `npm install` links "file:../../pkg" (a folder): the module and its .wasm are served from
    // there, outside this project, which the dev server refuses unless allowed.
    fs: { allow: [".", "../../pkg"] },
    proxy: {
      "/merchant": sandbox,
      "/paynet": sandbox,
    },
  },
};
