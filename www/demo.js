// The demo shop's checkout: connpay-checkout's mountCheckout on the page's own card form, paying
// against the local sandbox, which plays both the gateway and the shop's server.
//
// `?locale=ru` shows the page in Russian (`?locale=de`, `fr`, … the checkout's messages in that
// language, imported only then); `?saved=sandbox-visa-1111` pays with a card the payer saved
// (only its security code is asked); `?timeoutMs=…` shortens the gateway timeout (tests).
import init, { mountCheckout } from "/pkg/connpay_checkout.js";
import { newOrder, savedCards, settleUncertain, shopCheckout } from "./shop-server.js";

const params = new URLSearchParams(location.search);
const LANGUAGES = ["en", "ru", "de", "es", "fr", "it", "kk", "pl", "pt", "tr", "uk"];
const locale = LANGUAGES.includes(params.get("locale")) ? params.get("locale") : "en";
const savedCard = savedCards[params.get("saved")];
// Another language's table is a module of its own: the page loads it only when it speaks it.
const table = locale === "en" ? null : (await import(`/pkg/locales/${locale}.js`)).default;
const timeoutMs = Number(params.get("timeoutMs")) || 30_000;

/** The page's own words; the checkout's messages come from the module in the same locale. */
const TEXTS = {
  ru: {
    summary: "Ваш заказ", item: "Эфиопия Иргачеффе, 250 г", shipping: "Доставка", total: "Итого",
    payer: "Плательщик", title: "Оплата картой", number: "Номер карты", expiry: "Срок действия",
    cvv: "Код безопасности", holder: "Имя на карте", pay: "Оплатить", cards: "Тестовые карты песочницы",
    newOrder: "Новый заказ",
  },
};

function translatePage() {
  document.documentElement.lang = locale;
  for (const element of document.querySelectorAll("[data-text]")) {
    const text = TEXTS[locale]?.[element.dataset.text];
    if (text) element.textContent = text;
  }
  for (const link of document.querySelectorAll("[data-locale]")) {
    if (link.dataset.locale === locale) link.setAttribute("aria-current", "true");
  }
}

translatePage();
await init();
const form = document.getElementById("checkout");
const checkout = mountCheckout(form, {
  ...shopCheckout,
  locale: table ?? locale,
  ...(savedCard ? { savedCard } : {}),
  timeoutMs,
  pollIntervalMs: 500,
  onSubmit: () => { delete form.dataset.outcome; },
  onSuccess: () => { form.dataset.outcome = "approved"; },
  onError: (error) => {
    form.dataset.outcome = error.code;
    // The payer cannot know whether they were charged: the shop's server finds out.
    if (error.next === "merchant") {
      settleUncertain(checkout, error.invoiceId).then((state) => {
        if (state === "APPROVED") form.dataset.outcome = "approved";
      });
    }
  },
});
form.dataset.ready = "true";
// The order lives on the shop's server across reloads (a cookie): a paid or pending order shows
// as such when the page opens. "New order" starts another one, then the page asks about it.
const newOrderButton = document.getElementById("new-order");
newOrderButton.addEventListener("click", async () => {
  newOrderButton.disabled = true;
  try {
    await newOrder();
    location.reload();
  } catch {
    newOrderButton.disabled = false;
  }
});
