// Opens the API's GraphiQL page in headless Chromium and checks it as a person would use it.
// Usage: node graphiql.mjs URL [--refused]
//   without --refused (a server whose anonymous callers may introspect): runs the query in the
//   editor and expects "Rabat Process" in the result; opens the Docs panel and expects the
//   schema's description; loads the country-page example from the menu, runs it and expects its
//   answer (with "euRelation") in the result.
//   with --refused (a server whose anonymous callers may not introspect): expects the sentence
//   naming the role that may, above the editor and in the Docs panel, instead of "Error fetching
//   schema", and that queries still run.
// Exits 0 when the page works; prints what it saw and exits 1 otherwise.
import { chromium } from 'playwright-core';

const url = process.argv[2];
const refused = process.argv.includes('--refused');
const screenshot = process.env.GRAPHIQL_SCREENSHOT;
if (!url) {
  console.error('usage: node graphiql.mjs URL [--refused]');
  process.exit(2);
}
const timeout = 30000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
let failed = false;
const fail = (...what) => { console.error(...what); failed = true; };
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
  await page.locator('.graphiql-execute-button').waitFor({ timeout });
  const result = page.locator('.graphiql-response');
  const run = async (expectText) => {
    await page.locator('.graphiql-execute-button').click();
    await result.getByText(expectText).first().waitFor({ timeout });
    const text = await result.innerText();
    if (!text.includes('"data"')) fail('result has no data:', text.slice(0, 500));
    if (text.includes('"errors"')) fail('result has errors:', text.slice(0, 500));
  };
  const openDocs = async () => {
    await page.locator('[aria-label="Show Documentation Explorer"]').first().click();
    return page.locator('.graphiql-doc-explorer');
  };

  if (refused) {
    const notice = page.locator('#pg-notice');
    await notice.getByText('shows to the role analyst or editor or admin').waitFor({ timeout });
    const sentence = await notice.innerText();
    const docs = await openDocs();
    await docs.getByText('shows to the role analyst or editor or admin').waitFor({ timeout });
    const docsText = await docs.innerText();
    if (docsText.includes('Error fetching schema')) fail('the Docs panel still says "Error fetching schema":', docsText);
    if (!sentence.includes('your requests have the role anonymous')) fail('the notice does not name the role:', sentence);
    await run('Rabat Process');
    if (screenshot) await page.screenshot({ path: screenshot });
    if (!failed) console.log(`graphiql: introspection refused; the page says "${sentence}"; queries still run`);
  } else {
    await run('Rabat Process');
    const docs = await openDocs();
    await docs.getByText('the web of migration partnerships').first().waitFor({ timeout });
    if (!(await page.locator('#pg-notice').isHidden())) fail('the refusal notice shows for a role that may introspect');
    const menu = page.locator('#pg-examples');
    const labels = await menu.locator('option').allInnerTexts();
    const countryPage = labels.find((l) => l.startsWith('A country page'));
    if (!countryPage || labels.length < 7) fail('the examples menu lacks examples:', labels);
    await menu.selectOption({ label: countryPage });
    await page.locator('.graphiql-query-editor').getByText('query CountryPage').waitFor({ timeout });
    await run('"euRelation"');
    if (screenshot) await page.screenshot({ path: screenshot });
    if (!failed) console.log(`graphiql: ran the default query, read the schema's description in the Docs panel, loaded and ran "${countryPage}" (${labels.length - 1} examples)`);
  }
  if (external.length) fail('page loaded from other origins:', external);
  // A refused introspection is answered 403 (application/graphql-response+json), which the
  // browser logs; nothing else may be.
  const unexpected = consoleErrors.filter((m) => !(refused && m.includes('status of 403')));
  if (unexpected.length) fail('console errors:', unexpected);
} catch (err) {
  fail('graphiql browser test failed:', err.message);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
