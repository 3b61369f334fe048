// A small W3C WebDriver client with no dependencies, so that one test drives the three engines the
// same way: Chromium through chromedriver, Firefox through geckodriver, and WebKit (Safari's
// engine) through WebKitGTK's WebKitWebDriver, which needs an X display: it runs under
// `xvfb-run -a`. Each browser's options are the ones in webdriver.json, which
// wasm-bindgen-test-runner reads too for Chromium and Firefox (not for WebKit: it drives
// WebKitWebDriver as it drives Apple's safaridriver, with an empty session request).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const CAPABILITIES = JSON.parse(readFileSync(new URL("../../webdriver.json", import.meta.url), "utf8"));

/**
 * How each engine's driver is started (it is given `--port=N`), with what in its environment, and
 * its session's options. WebKitGTK reports the process's locale as navigator.language ("C" under
 * LANG=C.UTF-8, which no payer's Safari sends): it is given a payer's.
 */
export const ENGINES = {
  chromium: { command: ["chromedriver"], env: {}, options: "goog:chromeOptions" },
  firefox: { command: ["geckodriver"], env: {}, options: "moz:firefoxOptions" },
  webkit: { command: ["xvfb-run", "-a", "WebKitWebDriver"], env: { LANG: "en_US.UTF-8" }, options: "webkitgtk:browserOptions" },
};

/** The key W3C WebDriver names an element reference by. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** Keys as WebDriver types them (the spec's code points). */
export const KEYS = { backspace: "\uE003", enter: "\uE007" };

/** How long one WebDriver command may take, and how long the driver may take to start. */
const COMMAND_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 20_000;

/** A port no one listens on now (the driver binds it a moment later). */
async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** Resolves after `ms`. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `engine`'s driver in its own process group and opens a session in it; resolves to a
 * {@link Session} whose `close()` deletes the session and ends the driver with everything it
 * started (the browser, and for WebKit the X server).
 */
export async function openBrowser(engine, { scriptTimeoutMs = COMMAND_TIMEOUT_MS } = {}) {
  const { command, env, options } = ENGINES[engine];
  const port = await freePort();
  const driver = spawn(command[0], [...command.slice(1), `--port=${port}`], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  for (const stream of [driver.stdout, driver.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => (log += chunk));
  }
  const exited = new Promise((resolve) => {
    driver.once("exit", (code, signal) => resolve(signal ?? code));
    // Not started at all (not installed, say).
    driver.once("error", (error) => resolve(error.message));
  });
  const killGroup = (signal) => {
    try {
      process.kill(-driver.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  // Should this process end without closing the browser, the browser ends with it.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);
  const stop = async () => {
    process.off("exit", onExit);
    if (driver.pid === undefined) return;
    killGroup("SIGTERM");
    await Promise.race([exited, sleep(5_000)]);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForDriver(endpoint, exited, () => log);
    const { sessionId } = await send(endpoint, "POST", "/session", {
      capabilities: { alwaysMatch: { [options]: CAPABILITIES[options] ?? {}, timeouts: { script: scriptTimeoutMs } } },
    });
    return new Session(engine, `${endpoint}/session/${sessionId}`, stop, scriptTimeoutMs);
  } catch (error) {
    await stop();
    throw new Error(`${engine}: could not open a browser with ${command.join(" ")} (scripts/setup.sh installs it): ${error.message}\n${log}`);
  }
}

/** Waits until the driver answers /status as ready, or fails early if it exits. */
async function waitForDriver(endpoint, exited, log) {
  let gone = null;
  exited.then((how) => (gone = how));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (gone !== null) throw new Error(`the driver exited (${gone}) before it was ready`);
    try {
      const { ready } = await send(endpoint, "GET", "/status");
      if (ready) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the driver was not ready after ${START_TIMEOUT_MS} ms: ${log()}`);
    await sleep(100);
  }
}

/** One WebDriver command; resolves to its `value`, or fails with the driver's error and message. */
async function send(base, method, path, body, timeoutMs = COMMAND_TIMEOUT_MS) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let value;
  try {
    ({ value } = JSON.parse(text));
  } catch {
    throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  if (!response.ok) throw new Error(`${method} ${path}: ${value?.error}: ${value?.message}`);
  return value;
}

/** One browser session: the commands the end-to-end tests use, each named as the spec names it. */
export class Session {
  constructor(engine, base, stop, scriptTimeoutMs) {
    this.engine = engine;
    this.base = base;
    this.stopDriver = stop;
    this.scriptTimeoutMs = scriptTimeoutMs;
  }

  /** Sends a command of this session (`path` after `/session/{id}`). */
  async command(method, path, body, timeoutMs) {
    try {
      return await send(this.base, method, path, body, timeoutMs);
    } catch (error) {
      throw new Error(`${this.engine}: ${error.message}`);
    }
  }

  /** Navigate To: loads `url` and waits for its load event. */
  navigate(url) {
    return this.command("POST", "/url", { url });
  }

  /** Execute Script: runs `body` (a function body; `arguments` holds `args`) and gives what it returns. */
  execute(body, ...args) {
    return this.command("POST", "/execute/sync", { script: body, args });
  }

  /**
   * Execute Async Script: evaluates the promise-valued `expression` in the page and gives what it
   * resolves to (a rejection as `{ error }`), waiting as long as the session's script time-out.
   */
  executeAsync(expression) {
    const script = `const done = arguments[arguments.length - 1]; Promise.resolve(${expression}).then(done, (error) => done({ error: String(error) }));`;
    return this.command("POST", "/execute/async", { script, args: [] }, this.scriptTimeoutMs + COMMAND_TIMEOUT_MS);
  }

  /**
   * Runs `body` every 100 ms until it returns a truthy value, and gives that value; fails after
   * `timeoutMs`, naming `what` and the last value seen.
   */
  async waitFor(what, body, { args = [], timeoutMs = 20_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      last = await this.execute(body, ...args);
      if (last) return last;
      if (Date.now() > deadline) throw new Error(`${this.engine}: ${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
      await sleep(100);
    }
  }

  /** Element Click: scrolls the element into view and clicks its centre, as a payer does. */
  click(element) {
    return this.command("POST", `/element/${element[ELEMENT]}/click`, {});
  }

  /** Element Send Keys: focuses the element (the caret at its end) and types `text` key by key. */
  sendKeys(element, text) {
    return this.command("POST", `/element/${element[ELEMENT]}/value`, { text });
  }

  /** Perform Actions: two quick clicks of the mouse on the element's centre, then Release Actions. */
  async doubleClick(element) {
    const click = [
      { type: "pointerDown", button: 0 },
      { type: "pointerUp", button: 0 },
    ];
    await this.command("POST", "/actions", {
      actions: [
        {
          type: "pointer",
          id: "mouse",
          parameters: { pointerType: "mouse" },
          actions: [{ type: "pointerMove", origin: element, x: 0, y: 0 }, ...click, ...click],
        },
      ],
    });
    await this.command("DELETE", "/actions");
  }

  /** Perform Actions: presses and releases each of `keys` in turn, on the focused element. */
  async pressKeys(...keys) {
    const actions = keys.flatMap((value) => [
      { type: "keyDown", value },
      { type: "keyUp", value },
    ]);
    await this.command("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
    await this.command("DELETE", "/actions");
  }

  /** Get Current URL. */
  url() {
    return this.command("GET", "/url");
  }

  /** Switch To Frame: into the `<iframe>` element, or back to the page with `null`. */
  switchToFrame(element) {
    return this.command("POST", "/frame", { id: element });
  }

  /** Get Window Handles. */
  windowHandles() {
    return this.command("GET", "/window/handles");
  }

  /** Delete All Cookies (of the current page's domain). */
  deleteCookies() {
    return this.command("DELETE", "/cookie");
  }

  /** Delete Session, then ends the driver and what it started; safe to call more than once. */
  async close() {
    await this.command("DELETE", "").catch(() => {});
    await this.stopDriver();
  }
}
