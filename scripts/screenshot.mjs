// Takes the README's screenshot of the demo checkout: a card typed and approved against the
// sandbox. Run after `npm run build` and `cargo build -p connpay-sandbox`:
//   node scripts/screenshot.mjs
import { launchChromium, openDemo, startDemoServer } from "../tests/e2e/support.mjs";

const server = await startDemoServer();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  const { page } = await openDemo(context, server.url);
  for (const [label, value] of [["Card number", "4111111111111111"], ["Expiry date", "1230"], ["Security code", "123"], ["Name on card", "JOHN SMITH"]]) {
    await page.getByLabel(label).pressSequentially(value);
  }
  await page.getByRole("button", { name: /^Pay/ }).click();
  await page.waitForSelector("#checkout[data-outcome='approved']", { timeout: 20_000 });
  await page.screenshot({ path: new URL("../docs/demo.png", import.meta.url).pathname });
} finally {
  await browser.close();
  await server.stop();
}
