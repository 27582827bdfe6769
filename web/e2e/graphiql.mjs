// Opens the API's GraphiQL page in headless Chromium, runs the query in the editor and checks
// that the result pane shows data read from Neo4j. Usage: node graphiql.mjs http://127.0.0.1:PORT/
// Exits 0 when the page works; prints what it saw and exits 1 otherwise.
import { chromium } from 'playwright-core';

const url = process.argv[2];
const expectText = process.argv[3] || 'Rabat Process';
const screenshot = process.env.GRAPHIQL_SCREENSHOT;
if (!url) {
  console.error('usage: node graphiql.mjs URL [expected text]');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
let failed = false;
try {
  const page = await browser.newPage();
  const external = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.origin !== new URL(url).origin && u.protocol !== 'data:') external.push(req.url());
  });
  const consoleErrors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });

  await page.goto(url, { waitUntil: 'load' });
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 30000 });
  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.graphiql-response');
  await result.getByText(expectText).first().waitFor({ timeout: 30000 });
  const text = await result.innerText();
  if (screenshot) await page.screenshot({ path: screenshot });

  if (!text.includes('"data"')) { console.error('result has no data:', text.slice(0, 500)); failed = true; }
  if (text.includes('"errors"')) { console.error('result has errors:', text.slice(0, 500)); failed = true; }
  if (external.length) { console.error('page loaded from other origins:', external); failed = true; }
  if (consoleErrors.length) { console.error('console errors:', consoleErrors); failed = true; }
  if (!failed) console.log(`graphiql: ran the default query and saw "${expectText}" in the result`);
} catch (err) {
  console.error('graphiql browser test failed:', err.message);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
