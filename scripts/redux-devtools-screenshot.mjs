// Opens the Redux DevTools UI in headless Chromium, connects it to the server that served it (Settings →
// Connection → "use local (custom) server"), waits for a nexus instance's actions, and saves a screenshot.
// Called by scripts/redux-devtools-screenshot.sh, which starts the server and the example.
// Arguments: <port> <instance name prefix> <output.png> [<trace output.png>: also the Trace tab].
import { chromium } from 'playwright-core';

const [port, instance, out, traceOut] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`http://localhost:${port}`);
  // The UI starts with "no remote connection"; point it at this server.
  await page.getByText('Settings', { exact: true }).click();
  await page.getByLabel('custom', { exact: true }).check();
  const hostname = page.locator('input#root_hostname');
  await hostname.fill('localhost');
  const portField = page.locator('input#root_port');
  await portField.fill(String(port));
  await page.getByText('Connect', { exact: true }).click();
  await page.getByText('Actions', { exact: true }).first().click();
  await page.getByText(/BATCH/).first().waitFor({ timeout: 30000 });
  // Pick our instance in the instance selector (the UI otherwise follows whichever instance spoke last).
  await page.getByText('Select...', { exact: true }).click({ force: true });
  await page.getByText(new RegExp('^' + instance)).first().click();
  // Show the state tab of the newest action.
  await page.getByText(/BATCH/).last().click();
  await page.getByText('State', { exact: true }).click();
  await page.waitForTimeout(1000);
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
  if (traceOut) {
    // The Trace tab of a batch: where each change was made (file:line:col), then the recompute it
    // caused. The monitor follows the newest action as the example goes on: select the batch and take
    // the picture between two of its actions (a few tries).
    let shown = false;
    for (let attempt = 0; attempt < 10 && !shown; attempt++) {
      await page.getByText(/BATCH/).last().click();
      await page.getByText('Trace', { exact: true }).click();
      shown = await page.getByText(/recompute SUMMARY/).first().isVisible({ timeout: 500 }).catch(() => false)
        || await page.getByText(/recompute SUMMARY/).first().waitFor({ timeout: 500 }).then(() => true, () => false);
      if (shown) await page.screenshot({ path: traceOut });
    }
    if (!shown) throw new Error('the Trace tab never showed the recompute of SUMMARY');
    console.log(`saved ${traceOut}`);
  }
} catch (e) {
  await browser.contexts()[0]?.pages()[0]?.screenshot({ path: out.replace(/\.png$/, '-failed.png') });
  throw e;
} finally {
  await browser.close();
}
