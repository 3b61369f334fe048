// @ts-check
// The drop-in checkout's page shell: the only code of the package that touches the page, `fetch`,
// timers and the 3-D Secure window. It turns the page's events into the checkout machine's
// events, and applies the machine's effects in order; it holds no rule, no word and no amount of
// its own (every text, request and decision comes from the machine, in the WebAssembly module).
// Everything it changes on the page is written in an undo log, so that unmount() gives the page
// back exactly as it was. `mountCheckout` (the module's export) reads the options into a
// machine and calls `mount` here.

/**
 * @typedef {{ name: string, selector: string, errorSelector: string, asked: boolean, autocomplete: string, numeric: boolean }} FieldLayout
 * @typedef {{ fields: FieldLayout[], brand: string, status: string, submit: string, savedCardSelector: string, savedCard: string | null }} Layout
 * @typedef {{ type: string, [key: string]: any }} Effect
 * @typedef {{
 *   layout: Layout,
 *   callbacks: Record<string, Function | undefined>,
 *   id: number,
 *   carries: boolean,
 *   handle(event: object): string,
 *   inherit(left: number): void,
 *   refusal(kind: string, part: string): Error,
 * }} Machine
 * @typedef {{ input: HTMLInputElement, error: Element }} Slot
 * @typedef {{ machine: Machine, mounted: boolean }} Held
 */

/** What each form holds: its mounted checkout, or the machine an unmounted one left for the next. */
/** @type {WeakMap<Element, Held>} */
const forms = new WeakMap();
/** The page of each mounted machine, for a handle whose own checkout was unmounted. */
/** @type {WeakMap<Machine, Page>} */
const pages = new WeakMap();

/**
 * `text` with `{until}` (ms since the epoch) said as a time of day in the way of the language
 * `tag` names (`15:30`, `3:30 PM`); the browser's own way when the engine does not know the tag.
 * @param {string} text @param {number | undefined} until @param {string} tag
 */
function words(text, until, tag) {
  if (until === undefined) return text;
  const date = new Date(until);
  /** @type {Intl.DateTimeFormatOptions} */
  const options = { hour: "numeric", minute: "2-digit" };
  let time;
  try {
    time = date.toLocaleTimeString(tag || undefined, options);
  } catch {
    // A tag the engine refuses (a RangeError).
    time = date.toLocaleTimeString(undefined, options);
  }
  return text.replace("{until}", () => time);
}

/** Numbers the ids the checkout gives elements, unique on the page. */
let nextId = 1;
/** @param {string} name */
const freshId = (name) => `connpay-${nextId++}-${name}`;

/** Every change made to the page, and how to take it back, newest last. */
class Changes {
  /** @param {Document} document */
  constructor(document) {
    this.document = document;
    /** @type {(() => void)[]} */
    this.undo = [];
    /** @type {Set<string>} what set() and mark() recorded already, by element and name */
    this.recorded = new Set();
    /** @type {Map<Element, number>} */
    this.ids = new Map();
  }

  /** @param {Element} element @param {string} name */
  key(element, name) {
    let id = this.ids.get(element);
    if (id === undefined) this.ids.set(element, (id = this.ids.size));
    return `${id} ${name}`;
  }

  /** A new element of this page, removed again on unmount. @param {string} tag */
  create(tag) {
    const element = this.document.createElement(tag);
    this.undo.push(() => element.remove());
    return element;
  }

  /** Sets an attribute, remembering its earlier value for unmount. @param {Element} element @param {string} name @param {string} value */
  set(element, name, value) {
    const before = element.getAttribute(name);
    if (before === value) return;
    element.setAttribute(name, value);
    const key = this.key(element, `@${name}`);
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    this.undo.push(() => (before === null ? element.removeAttribute(name) : element.setAttribute(name, before)));
  }

  /** @param {Element} element @param {string} name @param {string} value */
  setIfAbsent(element, name, value) {
    if (!element.hasAttribute(name)) this.set(element, name, value);
  }

  /** Takes an attribute off (it comes back on unmount). @param {Element} element @param {string} name */
  remove(element, name) {
    if (!element.hasAttribute(name)) return;
    const before = element.getAttribute(name);
    element.removeAttribute(name);
    const key = this.key(element, `@${name}`);
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    this.undo.push(() => element.setAttribute(name, /** @type {string} */ (before)));
  }

  /**
   * Puts `name` in the element's classes or takes it out; unmount takes it out. The element's
   * other classes are the page's (React may rewrite them), so only this one is touched.
   * @param {Element} element @param {string} name @param {boolean} on
   */
  mark(element, name, on) {
    if (element.classList.contains(name) === on) return;
    const hadAttribute = element.hasAttribute("class");
    element.classList.toggle(name, on);
    const key = this.key(element, `.${name}`);
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    this.undo.push(() => {
      element.classList.remove(name);
      if (!hadAttribute && element.classList.length === 0) element.removeAttribute("class");
    });
  }

  /** Remembers the text of the merchant's element, which the checkout will write. @param {Element} element */
  keepText(element) {
    const text = element.textContent;
    this.undo.push(() => (element.textContent = text));
  }

  /** Takes back everything, newest first. */
  restore() {
    for (const undo of this.undo.splice(0).reverse()) undo();
    this.recorded.clear();
  }
}

/** An event listener that can be removed. */
class Listeners {
  constructor() {
    /** @type {(() => void)[]} */
    this.removers = [];
  }

  /** @param {EventTarget} target @param {string} type @param {(event: any) => void} listener @param {AddEventListenerOptions} [options] */
  add(target, type, listener, options) {
    target.addEventListener(type, listener, options);
    const remove = () => target.removeEventListener(type, listener, options);
    this.removers.push(remove);
    return remove;
  }

  removeAll() {
    for (const remove of this.removers.splice(0)) remove();
  }
}

/**
 * `root.querySelector(selector)`; a selector that does not parse is the merchant's mistake.
 * @param {Machine} machine @param {Element} root @param {string} selector @param {string} key
 */
function find(machine, root, selector, key) {
  try {
    return root.querySelector(selector);
  } catch {
    throw machine.refusal("selector", key);
  }
}

/**
 * Binds `machine` to the form `target` (a `<form>` or a selector): finds its fields (throwing a
 * coded error, and changing nothing, when something is missing), prepares them, and answers the
 * `Checkout` handle.
 * @param {unknown} target
 * @param {Machine} machine
 */
export function mount(target, machine) {
  const layout = machine.layout;
  const document = globalThis.document;
  if (!document) throw machine.refusal("document", "");
  /** @type {unknown} */
  let found = target;
  if (typeof target === "string") {
    try {
      found = document.querySelector(target);
    } catch {
      throw machine.refusal("formSelector", "");
    }
  }
  if (!(found instanceof Element) || found.tagName.toLowerCase() !== "form") throw machine.refusal("form", "");
  const form = found;
  /** @type {(HTMLInputElement | null)[]} */
  const inputs = layout.fields.map((field) => {
    const element = find(machine, form, field.selector, field.name);
    const input = element instanceof HTMLInputElement ? element : null;
    if (!input && (field.asked || field.name === "cvv")) throw machine.refusal("input", field.name);
    return input;
  });
  const brand = find(machine, form, layout.brand, "brand");
  const button = find(machine, form, layout.submit, "submit");
  const foundStatus = find(machine, form, layout.status, "status");
  const held = forms.get(form);
  if (held?.mounted) throw machine.refusal("mounted", "");

  // Only now does the page change: every check above has passed.
  const changes = new Changes(document);
  if (brand) changes.keepText(brand);
  // What must stay on the page when a saved card hides the fields it does not ask for.
  const shown = [inputs[2], button, foundStatus, brand].filter((element) => element !== null);
  if (layout.savedCard !== null) {
    const label = textElement(machine, changes, form, layout.savedCardSelector, "savedCard", "connpay-saved-card", [form, "afterbegin"]);
    label.textContent = layout.savedCard;
    shown.push(label);
  }
  /** @type {Slot[]} */
  const slots = layout.fields.map((field, index) => {
    const given = inputs[index];
    const input = given && field.asked ? given : notAsked(changes, form, given, shown);
    changes.setIfAbsent(input, "autocomplete", field.autocomplete);
    if (field.numeric) changes.setIfAbsent(input, "inputmode", "numeric");
    return { input, error: errorText(machine, changes, form, input, field) };
  });
  let status = foundStatus;
  if (status) {
    changes.keepText(status);
    if (status.getAttribute("role") !== "status") changes.setIfAbsent(status, "aria-live", "polite");
  } else {
    status = changes.create("p");
    changes.set(status, "role", "status");
    changes.set(status, "class", "connpay-status");
    form.append(status);
  }
  if (held) machine.inherit(held.machine.id);
  const entry = { machine, mounted: true };
  forms.set(form, entry);
  const page = new Page(machine, entry, document, changes, form, slots, brand, status, button);
  pages.set(machine, page);
  page.start();
  return page.handle();
}

/**
 * The merchant's element for a text the checkout writes (found by `selector` in the form; its
 * text kept for unmount), or a new `<p class>` placed `at` (an element and where beside it).
 * @param {Machine} machine @param {Changes} changes @param {Element} form @param {string} selector @param {string} key
 * @param {string} className @param {[Element, InsertPosition]} at
 */
function textElement(machine, changes, form, selector, key, className, at) {
  const element = find(machine, form, selector, key);
  if (element) {
    changes.keepText(element);
    return element;
  }
  const created = changes.create("p");
  changes.set(created, "class", className);
  at[0].insertAdjacentElement(at[1], created);
  return created;
}

/**
 * The field's error text: the form's `[data-connpay-error="…"]`, or a new `<p>` after the input;
 * either way named in the input's `aria-describedby`.
 * @param {Machine} machine @param {Changes} changes @param {Element} form @param {HTMLInputElement} input @param {FieldLayout} field
 */
function errorText(machine, changes, form, input, field) {
  const text = textElement(machine, changes, form, field.errorSelector, field.name, "connpay-error", [input, "afterend"]);
  if (!text.id) changes.set(text, "id", input.id ? `${input.id}-error` : freshId(field.name));
  const describedBy = input.getAttribute("aria-describedby") ?? "";
  if (!describedBy.split(/\s+/).includes(text.id)) {
    changes.set(input, "aria-describedby", describedBy.trim() ? `${describedBy.trim()} ${text.id}` : text.id);
  }
  return text;
}

/**
 * A field a saved card does not ask for. The merchant's input leaves the page until unmount, with
 * the largest part of the form around it that holds nothing still `shown`, and its labels. A form without the
 * input gets a stand-in nothing shows.
 * @param {Changes} changes @param {Element} form @param {HTMLInputElement | null} given @param {Element[]} shown
 */
function notAsked(changes, form, given, shown) {
  let input = given;
  if (!input) {
    input = /** @type {HTMLInputElement} */ (changes.create("input"));
    form.append(input);
  }
  /** @type {Element} */
  let hidden = input;
  for (let parent = hidden.parentElement; parent && parent !== form; parent = parent.parentElement) {
    if (shown.some((kept) => parent?.contains(kept))) break;
    hidden = parent;
  }
  changes.set(hidden, "hidden", "");
  // A label that names the input by its id (not wrapped with it) leaves with it, unless it holds
  // something still shown.
  for (const label of input.labels ?? []) {
    if (!shown.some((kept) => label.contains(kept))) changes.set(label, "hidden", "");
  }
  // Disabled: neither autofilled nor sent with the form, nor reached by the keyboard.
  changes.set(input, "disabled", "");
  return input;
}

/** A mounted checkout: the page's side of one machine. */
class Page {
  /**
   * @param {Machine} machine @param {Held} entry @param {Document} document @param {Changes} changes @param {Element} form
   * @param {Slot[]} slots @param {Element | null} brand @param {Element} status @param {Element | null} button
   */
  constructor(machine, entry, document, changes, form, slots, brand, status, button) {
    this.machine = machine;
    // Read once: each is a call into the module.
    this.layout = machine.layout;
    this.callbacks = machine.callbacks;
    this.entry = entry;
    this.document = document;
    this.changes = changes;
    this.form = form;
    this.slots = slots;
    this.brand = brand;
    this.status = status;
    this.button = button;
    this.listeners = new Listeners();
    /** @type {Map<number, ReturnType<typeof setTimeout>>} */
    this.timers = new Map();
    /** @type {{ dialog: HTMLDialogElement, frame: HTMLIFrameElement, listeners: Listeners } | null} */
    this.challenge = null;
    /** @type {HTMLButtonElement | null} */
    this.reopen = null;
    this.unmounted = false;
    /** What `getSession` threw last: `onError`'s `cause`. @type {unknown} */
    this.cause = undefined;
  }

  /** The fields' values, in the machine's order. */
  values() {
    return this.slots.map((slot) => slot.input.value);
  }

  start() {
    this.slots.forEach(({ input }, index) => {
      const field = this.layout.fields[index].name;
      this.listeners.add(input, "input", (event) => {
        const caret = input.selectionStart ?? input.value.length;
        const inputType = typeof event.inputType === "string" ? event.inputType : "";
        const focused = this.document.activeElement === input;
        this.dispatch({ type: "input", field, caret, inputType, focused, values: this.values() });
      });
      this.listeners.add(input, "focus", () => this.dispatch({ type: "focus", field }));
      this.listeners.add(input, "blur", (event) => {
        const toSubmit = this.button !== null && event.relatedTarget === this.button;
        this.dispatch({ type: "blur", field, toSubmit, values: this.values() });
      });
    });
    // Not passive: the submit is the checkout's, and the page must not navigate.
    this.listeners.add(this.form, "submit", (event) => {
      event.preventDefault();
      this.dispatch({ type: "submit", values: this.values() });
    }, { passive: false });
    this.apply(JSON.parse(this.machine.handle({ type: "start", values: this.values() })));
    // Once mountCheckout has returned: the page holds the handle when it hears of it.
    queueMicrotask(() => this.dispatch({ type: "ready" }));
  }

  /** The `Checkout` handle: a plain object whose methods stay callable after unmount. */
  handle() {
    const unmount = () => {
      if (!this.unmounted) this.dispatch({ type: "unmount" });
    };
    /** @param {"notCharged" | "approved"} fate */
    const settle = (fate) => (/** @type {unknown} */ invoiceId) => {
      const event = { type: "settle", invoiceId, fate };
      if (!this.unmounted) return void this.dispatch(event, true);
      // Unmounted: the form's checkout mounted since, or what the form keeps for its next one.
      const held = forms.get(this.form);
      const page = held?.mounted ? pages.get(held.machine) : undefined;
      if (page) return void page.dispatch(event, true);
      const machine = held?.machine ?? this.machine;
      machine.handle(event);
      if (held && !machine.carries) forms.delete(this.form);
    };
    /** @type {Record<string | symbol, unknown>} */
    const checkout = {
      unmount,
      free: unmount,
      update: (/** @type {unknown} */ options) => void this.dispatch({ type: "update", options, values: this.values() }, true),
      allowNewAttempt: settle("notCharged"),
      confirmApproval: settle("approved"),
    };
    const dispose = /** @type {{ dispose?: symbol }} */ (Symbol).dispose;
    if (typeof dispose === "symbol") checkout[dispose] = unmount;
    return checkout;
  }

  /**
   * Hands `event` to the machine and applies its effects. A refused event throws its coded error
   * when `throws` (the handle's methods), and is ignored otherwise.
   * @param {object} event @param {boolean} [throws]
   */
  dispatch(event, throws = false) {
    /** @type {Effect[]} */
    let effects;
    try {
      effects = JSON.parse(this.machine.handle(event));
    } catch (error) {
      if (throws) throw error;
      return;
    }
    this.apply(effects);
  }

  /**
   * Applies the effects in order: the page's first, then the callbacks (the machine puts them
   * last), so that a callback that unmounts, updates or submits finds everything settled.
   * @param {Effect[]} effects
   */
  apply(effects) {
    for (const effect of effects) {
      if (effect.type === "call") this.call(effect.name, effect.name === "onError" ? this.error(effect.argument, effect.language) : effect.argument, effect.ask);
      else if (!this.unmounted) this.effect(effect);
    }
  }

  /** @param {string} name */
  slot(name) {
    return this.slots[this.layout.fields.findIndex((field) => field.name === name)];
  }

  /** @param {Effect} effect */
  effect(effect) {
    const { changes } = this;
    switch (effect.type) {
      case "show": {
        const { input } = this.slot(effect.field);
        input.value = effect.value;
        if (effect.caret !== null) input.setSelectionRange(effect.caret, effect.caret);
        break;
      }
      case "classes": {
        const { input } = this.slot(effect.field);
        changes.mark(input, "connpay-empty", effect.empty);
        changes.mark(input, "connpay-valid", effect.valid);
        changes.mark(input, "connpay-invalid", effect.invalid);
        break;
      }
      case "focused":
        changes.mark(this.slot(effect.field).input, "connpay-focused", effect.on);
        break;
      case "mark": {
        const slot = this.slot(effect.field);
        changes.set(slot.input, "aria-invalid", effect.invalid ? "true" : "false");
        slot.error.textContent = effect.text;
        break;
      }
      case "brand":
        if (this.brand) {
          this.brand.textContent = effect.name;
          changes.set(this.brand, "data-brand", effect.id);
        }
        changes.set(this.form, "data-connpay-brand", effect.id);
        break;
      case "say":
        this.status.textContent = words(effect.text, effect.until, effect.language);
        break;
      case "lock": {
        const locked = [...(this.button ? [[this.button, "disabled"]] : []), ...this.slots.map((slot) => [slot.input, "readonly"])];
        for (const [element, attribute] of /** @type {[Element, string][]} */ (locked)) {
          // Taken off as a change: a button the page disabled until the checkout was mounted
          // is disabled again on unmount.
          if (effect.ready) changes.remove(element, attribute);
          else changes.set(element, attribute, "");
        }
        changes.set(this.form, "aria-busy", effect.busy ? "true" : "false");
        break;
      }
      case "reopen":
        this.showReopen(effect.shown, effect.text);
        break;
      case "focusField":
        this.slot(effect.field).input.focus();
        break;
      case "focusReopen":
        if (this.reopen && !this.reopen.hidden) this.reopen.focus();
        break;
      case "openChallenge":
        this.openChallenge(effect.url, effect.title, effect.cancel, effect.origin);
        break;
      case "closeChallenge":
        this.removeChallenge();
        break;
      case "send":
        this.send(effect);
        break;
      case "wait":
        this.timers.set(effect.timer, setTimeout(() => {
          this.timers.delete(effect.timer);
          this.dispatch({ type: "timer", timer: effect.timer });
        }, effect.ms));
        break;
      case "cancelWait":
        clearTimeout(this.timers.get(effect.timer));
        this.timers.delete(effect.timer);
        break;
      case "restore":
        this.restore();
        break;
    }
  }

  /**
   * The `ConnPayError` `onError` receives, made of the machine's fields in their order: its
   * `message` said with `{until}` in `language`; `cause: true` stands for what `getSession` threw.
   * @param {Record<string, unknown>} fields @param {string} language
   */
  error({ message, ...fields }, language) {
    const error = new Error(words(String(message), typeof fields.until === "number" ? fields.until : undefined, language));
    error.name = "ConnPayError";
    if (fields.cause) fields.cause = this.cause;
    return Object.assign(error, fields);
  }

  /** @param {string} name @param {unknown} argument @param {number} [ask] */
  call(name, argument, ask) {
    const callback = this.callbacks[name];
    if (name === "getSession") {
      // Its answer, or what it threw, comes back as an event once it settles.
      const answered = new Promise((resolve) => resolve(callback?.call(undefined, argument)));
      answered.then(
        (answer) => this.dispatch({ type: "session", ask, answer }),
        (cause) => {
          this.cause = cause;
          this.dispatch({ type: "sessionFailed", ask });
        },
      ).then(() => this.closeIfRemoved());
      return;
    }
    try {
      callback?.call(undefined, argument);
    } catch {
      // A callback that throws changes nothing.
    }
  }

  /** Sends one request, once: no cookies, no redirect followed, a timeout. @param {Effect} effect */
  async send(effect) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, effect.timeoutMs);
    const { request, kind } = effect;
    try {
      const response = await fetch(effect.url, {
        method: effect.method,
        body: effect.body,
        headers: effect.headers,
        credentials: "omit",
        redirect: "manual",
        cache: "no-store",
        mode: "cors",
        referrerPolicy: "no-referrer",
        signal: controller.signal,
      });
      // A redirect is not followed: an answer, not the gateway's.
      const body = response.type === "opaqueredirect" ? "" : await response.text();
      const status = response.type === "opaqueredirect" ? 0 : response.status;
      clearTimeout(timer);
      this.dispatch({ type: "answer", request, kind, status, body });
    } catch {
      clearTimeout(timer);
      this.dispatch({ type: "noAnswer", request, kind, reason: timedOut ? "timeout" : "network" });
    }
    this.closeIfRemoved();
  }

  /** The page's own code took the 3-D Secure window out of the page: as if the payer closed it. */
  closeIfRemoved() {
    if (this.challenge && !this.challenge.dialog.isConnected) this.closeWindow(false);
  }

  /** The payer (or the page, or its policy) closed the 3-D Secure window. @param {boolean} blocked */
  closeWindow(blocked) {
    this.removeChallenge();
    this.dispatch({ type: "closed", blocked });
  }

  removeChallenge() {
    const challenge = this.challenge;
    if (!challenge) return;
    this.challenge = null;
    // Its listeners first: closing the dialog fires its `close` event.
    challenge.listeners.removeAll();
    challenge.dialog.close();
    challenge.dialog.remove();
  }

  /** Shows `url` in the 3-D Secure window: in the open one, or in a new one. @param {string} url @param {string} title @param {string} cancelText @param {string} origin */
  openChallenge(url, title, cancelText, origin) {
    if (this.challenge) {
      this.challenge.frame.setAttribute("src", url);
      return;
    }
    const { changes } = this;
    const dialog = /** @type {HTMLDialogElement} */ (changes.create("dialog"));
    const heading = changes.create("h2");
    const frame = /** @type {HTMLIFrameElement} */ (changes.create("iframe"));
    const cancel = changes.create("button");
    const titleId = freshId("challenge");
    dialog.setAttribute("class", "connpay-challenge");
    dialog.setAttribute("aria-labelledby", titleId);
    heading.setAttribute("id", titleId);
    heading.textContent = title;
    // No `allow-top-navigation`: the issuer's page cannot navigate the merchant's.
    for (const [name, value] of [
      ["src", url],
      ["title", title],
      ["width", "390"],
      ["height", "400"],
      ["referrerpolicy", "no-referrer"],
      ["sandbox", "allow-forms allow-scripts allow-same-origin"],
    ]) {
      frame.setAttribute(name, value);
    }
    cancel.setAttribute("type", "button");
    cancel.textContent = cancelText;
    dialog.append(heading, frame, cancel);
    this.document.body.append(dialog);
    const listeners = new Listeners();
    listeners.add(cancel, "click", () => this.closeWindow(false));
    // Escape closes a modal dialog, and so may the page's own code: the window is gone either way.
    listeners.add(dialog, "close", () => this.closeWindow(false));
    // A page whose policy forbids the issuer's frame shows only the browser's "blocked" notice.
    listeners.add(this.document, "securitypolicyviolation", (event) => {
      const framing = event.effectiveDirective === "frame-src" || event.effectiveDirective === "child-src";
      if (framing && String(event.blockedURI).startsWith(origin)) this.closeWindow(true);
    });
    this.challenge = { dialog, frame, listeners };
    dialog.showModal();
  }

  /** The button that opens the bank's window again: made the first time it is shown. @param {boolean} shown @param {string} text */
  showReopen(shown, text) {
    if (!this.reopen) {
      if (!shown) return;
      const button = /** @type {HTMLButtonElement} */ (this.changes.create("button"));
      button.setAttribute("type", "button");
      button.setAttribute("class", "connpay-reopen");
      this.status.insertAdjacentElement("afterend", button);
      this.listeners.add(button, "click", () => this.dispatch({ type: "reopen" }));
      this.reopen = button;
    }
    this.reopen.textContent = text;
    if (shown) this.reopen.removeAttribute("hidden");
    else this.reopen.setAttribute("hidden", "");
  }

  /** Unmount: every listener, timer and window goes, and the page is given back. */
  restore() {
    this.unmounted = true;
    this.listeners.removeAll();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.removeChallenge();
    this.changes.restore();
    this.entry.mounted = false;
    pages.delete(this.machine);
    if (this.machine.carries) forms.set(this.form, this.entry);
    else if (forms.get(this.form) === this.entry) forms.delete(this.form);
  }
}
