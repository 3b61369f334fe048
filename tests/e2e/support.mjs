// What the end-to-end tests share: the demo server on a free port, and Debian's Chromium.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { openBrowser } from "./webdriver.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Starts the sandbox (the binary `npm start` runs; `npm test` builds it first) on a free port,
 * serving `www` (the demo by default) and `pkg/`; resolves to { url, stop }.
 */
export function startDemoServer(www = "www") {
  const binary = fileURLToPath(new URL("../../target/debug/connpay-sandbox", import.meta.url));
  return startServer(binary, ["--addr", "127.0.0.1:0", "--www", www, "--pkg", "pkg"], {}, 10_000);
}

/**
 * Runs `command` in the repository, in its own process group, until it prints its URL (by
 * default the sandbox's "connpay sandbox at …"); resolves to { url, output, stop }, where
 * output() is all it printed so far (the sandbox prints a line per request) and stop ends the
 * whole group.
 */
export async function startServer(command, args, env, timeoutMs, announced = /connpay sandbox at (http:\/\/127\.0\.0\.1:\d+\/)/) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  let output = "";
  child.stdout.setEncoding("utf8");
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), timeoutMs);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(announced);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}): ${output}`)));
  });
  return {
    url,
    output: () => output,
    async stop() {
      const exited = once(child, "exit");
      process.kill(-child.pid, "SIGTERM");
      await exited;
    },
  };
}

/** Launches headless Debian Chromium with the flags this machine needs. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * Opens `url` in headless Firefox through geckodriver (WebDriver: Playwright cannot drive Debian's
 * Firefox), waits for `body[data-ready]`, and resolves to what `use(session)` resolves to.
 * `session.executeAsync(expression)` evaluates a promise-valued expression in the page.
 */
export async function withFirefox(url, use) {
  const session = await openBrowser("firefox", { scriptTimeoutMs: 300_000 });
  try {
    await session.navigate(url);
    await session.executeAsync("new Promise((ready) => { const poll = () => document.body?.dataset.ready ? ready() : setTimeout(poll, 50); poll(); })");
    return await use(session);
  } finally {
    await session.close();
  }
}

/**
 * Opens the demo page (in a browser or a context) and collects its console errors, page errors
 * and Content-Security-Policy violations; `before(page)` runs before the page loads (to count
 * what the checkout asks when it is mounted).
 */
export async function openDemo(browser, url, { before } = {}) {
  const page = await browser.newPage();
  await before?.(page);
  const problems = [];
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    ),
  );
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector("#checkout[data-ready='true']", { timeout: 15_000 });
  return { page, problems };
}

/**
 * Starts the demo server and Chromium before a test file's tests and stops them after; the
 * returned object holds `server` and `browser` once started.
 */
export function useDemo() {
  const demo = {};
  before(async () => {
    demo.server = await startDemoServer();
    demo.browser = await launchChromium();
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
  });
  return demo;
}
