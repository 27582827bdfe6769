// Drives the network explorer (/explore) in headless Chromium as an analyst would, and prints
// what it saw as one JSON line for the Go test to compare with the API.
// Usage: node explorer.mjs URL PLAN_JSON
//   PLAN_JSON: {"search": "Senegal", "iso": "SEN", "iati": "XI-...", "country": "country:SN",
//   "expand": "project:reg-1", "pathFrom": "country:SN", "pathSearch": "ICMPD", "pathTo": "org:icmpd",
//   "on": "2015-01-01", "theme": "theme:employment", "missing": "country:ZZ", "shots": "/dir"}; with
//   "timingsOnly": true it only times the first, repeated and Gaps views of `country`.
// Journeys: search (name, ISO code, IATI identifier) -> open with the keyboard -> select a node
// with the mouse -> expand it from the side panel -> path between two nodes; keyboard moves;
// the time slider; a shared link reopened in a new page; PNG, SVG and CSV exports; the Gaps view
// (overlap timeline, follow-up list and its highlighting, priorities, Sankey) and its PNG; phone
// width; an unknown node. Fails (exit 1) on any console error, page error or request to another
// origin, and when a step does not happen.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, planText] = process.argv.slice(2);
if (!base || !planText) { console.error('usage: node explorer.mjs URL PLAN_JSON'); process.exit(2); }
const plan = JSON.parse(planText);
const timeout = 90000; // generous: CI machines are shared and a cold Neo4j plans each query once
const origin = new URL(base).origin;
const report = { consoleErrors: [], external: [], timings: {} };
const failures = [];
const check = (ok, ...what) => { if (!ok) failures.push(what.map((w) => (typeof w === 'string' ? w : JSON.stringify(w))).join(' ')); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});

let current = null; // the page opened last, whose status line a failure reports
async function newPage(viewport) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  current = page;
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin) report.external.push(req.url());
  });
  page.on('console', (msg) => { if (msg.type() === 'error') report.consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => report.consoleErrors.push(`page error: ${err.message}`));
  return page;
}
const idle = (page) => page.waitForFunction(() => window.explorer && window.explorer.ready && !document.body.hasAttribute('aria-busy'), null, { timeout });
const drawn = (page) => page.evaluate(() => {
  const { cy } = window.explorer;
  const shown = cy.elements().not('.filtered');
  return {
    nodes: shown.nodes().map((n) => n.id()).sort(), edges: shown.edges().map((e) => e.id()).sort(),
    path: cy.nodes('.path').map((n) => n.id()).sort(), pathEdges: cy.edges('.path').length,
    gapEdges: cy.edges('.gap-edge').length, selected: window.explorer.state.sel, centre: window.explorer.state.node,
    countsText: document.getElementById('counts').textContent,
  };
});
async function searchHits(page, input, text) {
  await page.fill(input, '');
  await page.type(input, text, { delay: 10 });
  const list = input === '#q' ? '#hits' : '#path-hits';
  await page.waitForFunction((l) => { const el = document.querySelector(l); return !el.hidden && el.querySelector('li') && !el.querySelector('li.loading'); }, list, { timeout });
  return page.locator(`${list} li`).allInnerTexts();
}
async function clickNode(page, key) {
  const at = await page.evaluate((k) => {
    const { cy } = window.explorer;
    const n = cy.getElementById(k);
    if (n.empty()) return null;
    cy.zoom(2);
    cy.center(n);
    const p = n.renderedPosition(); const r = cy.container().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, key);
  if (!at) return false;
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((k) => window.explorer.state.sel === k, key, { timeout: 5000 }).catch(() => {});
  return page.evaluate((k) => window.explorer.state.sel === k, key);
}
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout }), page.click(button)]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}
function pngSize(bytes) {
  const signature = bytes.subarray(0, 8).toString('hex') === '89504e470d0a1a0a';
  return signature ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : null;
}
const shot = async (page, name) => { if (plan.shots) await page.screenshot({ path: join(plan.shots, name) }); };

try {
  const desktop = { width: 1280, height: 800 };
  // First view of a country from a link: timed from navigation to the drawn graph.
  {
    const page = await newPage(desktop);
    const t0 = Date.now();
    await page.goto(`${base}/explore?node=${encodeURIComponent(plan.country)}`);
    await idle(page);
    report.timings.countryFirstView = Date.now() - t0;
    report.timings.pageFirstView = await page.evaluate(() => window.explorer.timings);
    const t1 = Date.now();
    await page.goto(`${base}/explore?node=${encodeURIComponent(plan.country)}`);
    await idle(page);
    report.timings.countryRepeatView = Date.now() - t1;
    report.timings.pageRepeatView = await page.evaluate(() => window.explorer.timings);
    const t2 = Date.now();
    await page.goto(`${base}/explore?node=${encodeURIComponent(plan.country)}&view=gaps`);
    await idle(page);
    await page.locator('#flows').waitFor({ timeout });
    report.timings.countryGapsView = Date.now() - t2;
    await page.close();
  }
  if (plan.timingsOnly) throw new Error('stop');

  const page = await newPage(desktop);
  await page.goto(`${base}/explore`);
  await idle(page);
  check(await page.locator('#empty').isVisible(), 'the empty state is not shown before anything is opened');

  // Search by ISO code and IATI identifier, then by name, and open with the keyboard.
  report.isoHits = await searchHits(page, '#q', plan.iso);
  if (plan.iati) report.iatiHits = await searchHits(page, '#q', plan.iati);
  report.nameHits = await searchHits(page, '#q', plan.search);
  await page.press('#q', 'Enter');
  await page.waitForFunction(() => window.explorer.cy.nodes().length > 0, null, { timeout });
  await idle(page);
  report.opened = await drawn(page);
  await page.locator('#facts-body a').first().waitFor({ timeout });
  report.openedSourceLinks = await page.locator('#facts-body .sources-list a').count();

  // Select a node with the mouse, then expand it from the side panel.
  report.clicked = await clickNode(page, plan.expand);
  check(report.clicked, 'a click on', plan.expand, 'did not select it');
  await page.locator('#facts-title').filter({ hasText: await page.evaluate((k) => window.explorer.cy.getElementById(k).data('label'), plan.expand) }).waitFor({ timeout });
  await page.locator('#facts-body button', { hasText: 'Expand' }).click();
  await page.waitForFunction((k) => window.explorer.state.expanded.includes(k), plan.expand, { timeout });
  await idle(page);
  report.expanded = await drawn(page);

  // Path between two nodes.
  await page.fill('#path-from', plan.pathFrom);
  report.pathHits = await searchHits(page, '#path-to', plan.pathSearch);
  await page.press('#path-to', 'Enter');
  await page.waitForFunction(() => window.explorer.state.path, null, { timeout });
  await idle(page);
  report.path = await drawn(page);
  report.pathText = await page.locator('#path-result').innerText();
  await shot(page, 'explorer-desktop-network.png');

  // Keyboard: arrows move the selection, Enter expands it.
  await page.focus('#graph');
  const before = await page.evaluate(() => window.explorer.state.sel);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((b) => window.explorer.state.sel !== b, before, { timeout: 5000 }).catch(() => {});
  report.keyboardMoved = (await page.evaluate(() => window.explorer.state.sel)) !== before;

  // Exports of the network view.
  const png = await download(page, '#export-png');
  report.png = { name: png.name, size: pngSize(png.bytes), bytes: png.bytes.length };
  const svg = (await download(page, '#export-svg')).bytes.toString('utf8');
  report.svg = { circles: (svg.match(/<circle class="node"/g) || []).length, lines: (svg.match(/<line class="edge"/g) || []).length };
  const csv = (await download(page, '#export-csv')).bytes.toString('utf8').trim().split(/\r\n/);
  report.csv = { nodes: csv.filter((l) => l.startsWith('node,')).length, relationships: csv.filter((l) => l.startsWith('relationship,')).length };

  // The shared link reopens the same view in a fresh page.
  report.sharedURL = page.url();
  {
    const other = await newPage(desktop);
    await other.goto(report.sharedURL);
    await idle(other);
    await other.waitForFunction(() => window.explorer.cy.nodes().length > 0, null, { timeout });
    report.reopened = await drawn(other);
    report.reopenedURL = other.url();
    await other.close();
  }

  // The network as on a date.
  if (plan.on) {
    await page.check('#on-enabled');
    const month = Number(plan.on.slice(0, 4)) * 12 + Number(plan.on.slice(5, 7)) - 1;
    await page.evaluate((m) => { const el = document.getElementById('on'); el.value = String(m); el.dispatchEvent(new Event('input')); }, month);
    report.onDate = await page.evaluate(() => ({
      on: window.explorer.state.on,
      projects: window.explorer.cy.nodes('[kind = "Project"]').not('.filtered').map((n) => n.id()).sort(),
    }));
    await page.uncheck('#on-enabled');
  }

  // The theme filter keeps the projects on the theme.
  if (plan.theme) {
    await page.selectOption('#theme', plan.theme);
    await page.waitForFunction((t) => new URL(location.href).searchParams.get('theme') === t, plan.theme, { timeout });
    await idle(page);
    report.onTheme = await page.evaluate(() => window.explorer.cy.nodes('[kind = "Project"]').not('.filtered').map((n) => n.id()).sort());
    await page.selectOption('#theme', '');
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('theme'), null, { timeout });
    await idle(page);
  }

  // The Gaps view of the country.
  await page.evaluate((k) => { window.explorer.state.country = k; }, plan.country);
  await page.click('#gaps-tab');
  await page.locator('#flows').waitFor({ timeout });
  await idle(page);
  report.gaps = await page.evaluate(() => ({
    title: document.querySelector('#gaps-body h2').textContent,
    windowBars: document.querySelectorAll('#overlaps rect.overlap-window').length,
    windowRows: document.querySelectorAll('#overlaps tr.overlap-row').length,
    followUps: [...document.querySelectorAll('#followup li.followup')].map((li) => li.dataset.status),
    unfunded: document.querySelectorAll('#priorities li.unfunded').length,
    priorities: document.querySelectorAll('#priorities li.priority').length,
    sankeyNodes: document.querySelectorAll('#flows rect.sankey-node').length,
    sankeyLinks: document.querySelectorAll('#flows path.sankey-link').length,
    sankeyKeys: [...document.querySelectorAll('#flows rect.sankey-node')].map((r) => r.dataset.key).sort(),
    url: location.href,
  }));
  await shot(page, 'explorer-desktop-gaps.png');
  await page.evaluate(() => { const gaps = document.getElementById('gaps'); gaps.scrollTop = document.getElementById('flows').offsetTop - gaps.offsetTop; });
  await shot(page, 'explorer-desktop-sankey.png');
  const gapsPNG = await download(page, '#export-png');
  report.gapsPNG = { size: pngSize(gapsPNG.bytes), bytes: gapsPNG.bytes.length };
  const gapsCSV = (await download(page, '#export-csv')).bytes.toString('utf8').trim().split(/\r\n/);
  report.gapsCSV = { overlap: gapsCSV.filter((l) => l.startsWith('overlap,')).length, followUp: gapsCSV.filter((l) => l.startsWith('follow-up,')).length, flow: gapsCSV.filter((l) => l.startsWith('flow,')).length };
  if (report.gaps.followUps.length) {
    await page.click('#highlight-followup');
    await page.waitForFunction(() => window.explorer.cy.edges('.gap-edge').length > 0, null, { timeout });
    await idle(page);
    report.highlighted = await drawn(page);
    await shot(page, 'explorer-desktop-followup.png');
  }

  // Phone width: the same link, no sideways scrolling.
  {
    const phone = await newPage({ width: 390, height: 844 });
    await phone.goto(report.sharedURL);
    await idle(phone);
    report.phone = await phone.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth, nodes: window.explorer.cy.nodes().length }));
    await shot(phone, 'explorer-phone-network.png');
    await phone.goto(report.gaps.url);
    await idle(phone);
    await phone.locator('#flows').waitFor({ timeout });
    report.phoneGaps = await phone.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth }));
    await shot(phone, 'explorer-phone-gaps.png');
    await phone.close();
  }

  // An unknown node: the error is said in words.
  if (plan.missing) {
    const bad = await newPage(desktop);
    await bad.goto(`${base}/explore?node=${encodeURIComponent(plan.missing)}`);
    await idle(bad);
    report.missingStatus = { text: await bad.locator('#status').innerText(), className: await bad.locator('#status').getAttribute('class') };
    await bad.close();
  }
} catch (err) {
  if (!(plan.timingsOnly && err.message === 'stop')) {
    const said = current ? await current.locator('#status').innerText({ timeout: 2000 }).catch(() => '') : '';
    failures.push(`explorer browser test failed: ${err.message}; the page said: ${said}`);
  }
} finally {
  await browser.close();
}
// A request for an unknown node is answered with an error status, which the browser logs; no
// other console error may appear.
report.consoleErrors = report.consoleErrors.filter((m) => !(plan.missing && /status of 4\d\d/.test(m)));
check(!report.consoleErrors.length, 'console errors:', report.consoleErrors);
check(!report.external.length, 'requests to other origins:', report.external);
report.failures = failures;
console.log(JSON.stringify(report));
process.exit(failures.length ? 1 : 0);
