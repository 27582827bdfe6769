// The network explorer: search and open a node, draw and expand its neighbourhood, filter it,
// find paths, read facts with their sources, see a country's gaps; the view lives in the URL.
import cytoscape from '/explore/assets/cytoscape.esm.min.js';
import * as api from './api.js';
import * as graph from './graph.js';
import * as gaps from './gaps.js';
import { html } from './svg.js';

const $ = (id) => document.getElementById(id);
const state = { node: '', depth: 1, expanded: [], hide: new Set(), from: '', to: '', theme: '', on: '', path: null, sel: '', view: 'network', country: '' };
let themeKeys = null;
let gapData = null; // the answers of the Gaps view shown, for its CSV
let gapDrawings = { timeline: null, sankey: null };
let gapsShown = ''; // the country whose Gaps view is drawn
let busy = 0;

const cy = cytoscape({ container: $('graph'), style: graph.style, minZoom: 0.1, maxZoom: 4, selectionType: 'single' });
// timings: ms since navigation of the first drawn view and of its neighbourhood request (the
// browser test reports them).
window.explorer = { cy, state, ready: false, timings: {} };

// ---- status, loading and errors (in words) ----
function status(text, kind = 'info') {
  const el = $('status');
  el.textContent = text;
  el.className = kind;
}
async function loading(what, work) {
  busy++;
  document.body.setAttribute('aria-busy', 'true');
  status(`Loading ${what}…`, 'loading');
  try {
    return await work();
  } catch (err) {
    status(err instanceof api.ApiError ? err.message : `Something went wrong while loading ${what}: ${err.message}`, 'error');
    throw err;
  } finally {
    if (--busy === 0) document.body.removeAttribute('aria-busy');
  }
}

// ---- the URL holds the view ----
function writeURL(push = false) {
  const p = new URLSearchParams();
  if (state.node) p.set('node', state.node);
  if (state.depth !== 1) p.set('depth', String(state.depth));
  if (state.expanded.length) p.set('expand', state.expanded.join(','));
  if (state.hide.size) p.set('hide', [...state.hide].join(','));
  for (const k of ['from', 'to', 'theme', 'on', 'sel', 'country']) if (state[k]) p.set(k, state[k]);
  if (state.path) p.set('path', state.path.join(','));
  if (state.view !== 'network') p.set('view', state.view);
  const url = `/explore${p.toString() ? `?${p}` : ''}`;
  if (url !== location.pathname + location.search) history[push ? 'pushState' : 'replaceState'](null, '', url);
}
function readURL() {
  const p = new URLSearchParams(location.search);
  state.node = p.get('node') || '';
  state.depth = [1, 2].includes(Number(p.get('depth'))) ? Number(p.get('depth')) : 1;
  state.expanded = (p.get('expand') || '').split(',').filter(Boolean);
  state.hide = new Set((p.get('hide') || '').split(',').filter((t) => graph.relationshipTypes.includes(t)));
  const date = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v || '') ? v : '');
  state.from = date(p.get('from')); state.to = date(p.get('to')); state.on = date(p.get('on'));
  state.theme = p.get('theme') || ''; state.sel = p.get('sel') || ''; state.country = p.get('country') || '';
  const path = (p.get('path') || '').split(',').filter(Boolean);
  state.path = path.length === 2 ? path : null;
  state.view = p.get('view') === 'gaps' ? 'gaps' : 'network';
}

// ---- the graph ----
function layout(fit = true) {
  const centre = state.node;
  const n = cy.nodes().length;
  const opts = n <= 1 ? { name: 'grid' } : state.expanded.length || state.path
    ? { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 40000, idealEdgeLength: () => 110, nodeOverlap: 20, gravity: 0.3, numIter: 800, padding: 30, fit }
    : { name: 'concentric', animate: false, padding: 30, fit, minNodeSpacing: 12,
      concentric: (node) => (node.id() === centre ? 3 : node.data('kind') === 'Project' ? 1 : 2), levelWidth: () => 1 };
  cy.layout(opts).run();
}

function refresh() {
  cy.nodes().removeClass('centre');
  cy.getElementById(state.node).addClass('centre');
  const currency = graph.resize(cy);
  const shown = graph.filter(cy, { hide: state.hide, on: state.on, from: state.from, to: state.to, themeKeys, centre: state.node });
  const total = { nodes: cy.nodes().length, edges: cy.edges().length };
  const centreNode = cy.getElementById(state.node);
  $('counts').textContent = total.nodes
    ? `${shown.nodes} nodes and ${shown.edges} relationships shown${shown.nodes < total.nodes || shown.edges < total.edges ? ` (of ${total.nodes} and ${total.edges} loaded)` : ''}; sizes by stated funding in ${currency}.`
    : '';
  $('graph').dataset.nodes = String(shown.nodes);
  $('graph').dataset.edges = String(shown.edges);
  $('empty').hidden = total.nodes > 0;
  $('gaps-tab').disabled = !(state.country || (centreNode.nonempty() && centreNode.data('kind') === 'Country'));
}

async function open(key, { push = true } = {}) {
  const asked = performance.now();
  const n = await loading(`the neighbourhood of ${key}`, () => api.neighbourhood(key, state.depth));
  const answered = performance.now();
  cy.elements().remove();
  state.node = n.center.key; state.expanded = []; state.path = null; state.sel = n.center.key;
  if (n.center.__typename === 'Country') state.country = n.center.key;
  graph.add(cy, [n.center, ...n.nodes.map((x) => x.node)], n.edges);
  await themeFilter();
  refresh(); layout();
  const t = window.explorer.timings;
  if (t.firstDraw === undefined) Object.assign(t, { request: Math.round(answered - asked), firstDraw: Math.round(performance.now()) });
  select(state.node);
  status(`${graph.label(n.center)}: ${n.nodes.length} neighbours${n.truncated ? ' (the nearest 100; expand nodes to see more)' : ''}.`);
  writeURL(push);
}

async function expand(key, { record = true } = {}) {
  const n = await loading(`the neighbours of ${key}`, () => api.neighbourhood(key, 1));
  const added = graph.add(cy, [n.center, ...n.nodes.map((x) => x.node)], n.edges, key);
  if (record && !state.expanded.includes(key)) state.expanded.push(key);
  await themeFilter();
  refresh();
  if (added.length) layout();
  if (record) {
    status(`${graph.label(n.center)}: ${added.filter((e) => e.isNode()).length} new nodes and ${added.filter((e) => e.isEdge()).length} new relationships${n.truncated ? ' (the nearest 100)' : ''}.`);
    writeURL();
  }
}

async function findPath(from, to, { record = true } = {}) {
  const report = await loading('the shortest path', () => api.paths(from, to));
  cy.elements().removeClass('path');
  if (!report.paths.length) {
    state.path = null;
    status(`No path of at most 4 steps links ${from} and ${to}.`, 'error');
    writeURL();
    return;
  }
  const path = report.paths[0];
  graph.add(cy, path.nodes, path.edges, from);
  state.path = [from, to];
  for (const n of path.nodes) cy.getElementById(n.key).addClass('path');
  for (const e of path.edges) cy.getElementById(graph.edgeData(e).id).addClass('path');
  refresh(); layout();
  $('path-result').textContent = `Shortest path: ${report.length} steps, ${path.nodes.map(graph.label).join(' → ')}` +
    (report.paths.length > 1 ? ` (${report.paths.length} paths of that length; the first is drawn).` : '.');
  if (record) { status(`Path of ${report.length} steps highlighted.`); writeURL(); }
}

async function themeFilter() {
  if (!state.theme) { themeKeys = null; return; }
  const keys = cy.nodes('[kind = "Project"]').map((n) => n.id());
  themeKeys = keys.length ? await api.projectsOnTheme(keys, state.theme) : new Set();
}

// ---- the facts panel ----
let factsRequest = 0;
async function select(key) {
  state.sel = key;
  const el = cy.getElementById(key);
  cy.elements().unselect();
  if (el.nonempty()) el.select();
  const panel = $('facts-body');
  if (el.nonempty() && el.isEdge()) { showEdge(el); writeURL(); return; }
  const mine = ++factsRequest;
  panel.replaceChildren(html('p', { class: 'loading' }, 'Loading facts…'));
  let n;
  try {
    n = await api.facts(key);
  } catch (err) {
    if (mine === factsRequest) panel.replaceChildren(html('p', { class: 'error' }, err.message));
    return;
  }
  if (mine !== factsRequest) return;
  if (!n) { panel.replaceChildren(html('p', { class: 'empty' }, `No node has the key ${key}.`)); return; }
  const skip = new Set(['__typename', 'id', 'key', 'sources', 'name', 'title', 'aliases']);
  const value = (v) => (v && typeof v === 'object' ? (v.amount !== undefined ? `${v.currency} ${v.amount.toLocaleString('en')}` : JSON.stringify(v)) : String(v));
  const rows = Object.entries(n).filter(([k, v]) => !skip.has(k) && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  const neighbours = el.nonempty() ? el.neighborhood('node').not('.filtered') : cy.collection();
  panel.replaceChildren(
    html('h2', { id: 'facts-title' }, graph.label(n)),
    html('p', { class: 'kind' }, html('span', { class: 'swatch', dataset: { kind: n.__typename } }), graph.kindWords[n.__typename] || n.__typename, ' · ', html('code', {}, n.key)),
    n.aliases && n.aliases.length ? html('p', {}, 'Also known as ', n.aliases.join(', ')) : '',
    html('dl', {}, rows.flatMap(([k, v]) => [html('dt', {}, fieldNames[k] || k), html('dd', {}, Array.isArray(v) ? v.join('; ') : value(v))])),
    html('div', { class: 'buttons' },
      n.__typename !== 'Source' ? html('button', { type: 'button', onclick: () => expand(n.key) }, 'Expand') : '',
      n.key !== state.node ? html('button', { type: 'button', onclick: () => open(n.key) }, 'Open as centre') : '',
      html('button', { type: 'button', onclick: () => { $('path-from').value = n.key; $('path-to').focus(); } }, 'Path from here'),
      n.__typename === 'Country' ? html('button', { type: 'button', onclick: () => { state.country = n.key; showView('gaps'); } }, 'Gaps') : ''),
    html('h3', {}, 'Sources'),
    n.sources && n.sources.length
      ? html('ul', { class: 'sources-list' }, n.sources.map((s) => html('li', {}, sourceLink(s.source), s.locator ? ` (${s.locator})` : '', ` · ${s.status.toLowerCase()}`)))
      : html('p', { class: 'empty' }, n.__typename === 'Source' ? (n.url ? html('a', { href: n.url, rel: 'noreferrer', target: '_blank' }, n.url) : n.file || '') : 'No source is recorded.'),
    neighbours.length ? html('h3', {}, `Linked in view (${neighbours.length})`) : '',
    neighbours.length ? html('ul', { class: 'neighbours' }, neighbours.map((m) => html('li', {},
      html('button', { type: 'button', class: 'link', onclick: () => { select(m.id()); cy.center(m); } }, m.data('label')), ` (${graph.kindWords[m.data('kind')]})`))) : '',
    html('p', { class: 'iri' }, html('a', { href: iri(n.key) }, 'Linked-data IRI')),
  );
  writeURL();
}

const fieldNames = { processShortName: 'shortName', instrumentKind: 'kind', organisationKind: 'kind' };

function showEdge(e) {
  const d = e.data();
  $('facts-body').replaceChildren(
    html('h2', {}, d.label),
    html('p', { class: 'kind' }, `${e.source().data('label')} → ${e.target().data('label')}`),
    html('dl', {}, Object.entries(d.props).flatMap(([k, v]) => [html('dt', {}, k), html('dd', {}, v)])),
    html('h3', {}, 'Sources'),
    d.sources.length ? html('ul', { class: 'sources-list' }, d.sources.map((s) => html('li', {}, sourceLink(s.source), s.locator ? ` (${s.locator})` : '', ` · ${s.status.toLowerCase()}`)))
      : html('p', { class: 'empty' }, 'No source is recorded.'));
}

function sourceLink(s) {
  return html('a', { href: s.url || iri(s.key), rel: 'noreferrer', target: '_blank' }, s.title, s.publisher ? ` (${s.publisher})` : '');
}
function iri(key) {
  const [prefix, ...rest] = key.split(':');
  return `/id/${prefix === 'org' ? 'organisation' : prefix}/${encodeURIComponent(rest.join(':'))}`;
}

// ---- search (name, alias, ISO code, IATI identifier, key) ----
function combobox(input, list, onPick, types) {
  let hits = []; let active = -1; let timer = 0; let asked = 0;
  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; input.removeAttribute('aria-activedescendant'); };
  const paint = () => {
    list.replaceChildren(...hits.map((n, i) => html('li', { id: `${list.id}-${i}`, role: 'option', 'aria-selected': i === active ? 'true' : 'false',
      onmousedown: (e) => { e.preventDefault(); pick(i); } },
    html('span', { class: 'swatch', dataset: { kind: n.__typename } }), graph.label(n), ' ',
    html('small', {}, `${graph.kindWords[n.__typename] || n.__typename} · ${n.iso2 || n.iatiIdentifier || n.key}`))));
    if (!hits.length) list.replaceChildren(html('li', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, 'Nothing found: try another name, an ISO code or an IATI identifier.'));
    list.hidden = false; input.setAttribute('aria-expanded', 'true');
    if (active >= 0) input.setAttribute('aria-activedescendant', `${list.id}-${active}`);
  };
  const pick = (i) => { const n = hits[i]; if (!n) return; clearTimeout(timer); asked++; close(); input.value = graph.label(n); onPick(n); };
  const run = async () => {
    const text = input.value.trim();
    if (text.length < 2) { close(); return; }
    const mine = ++asked;
    try {
      const [exact, found] = await Promise.all([api.lookup(text), api.search(text, types)]);
      if (mine !== asked) return;
      const seen = new Set();
      hits = [...exact.filter((n) => !types || types.includes(searchKind(n.__typename))), ...found.edges.map((e) => e.node)]
        .filter((n) => !seen.has(n.key) && seen.add(n.key)).slice(0, 12);
      active = hits.length ? 0 : -1; paint();
    } catch (err) {
      if (mine === asked) { hits = []; list.replaceChildren(html('li', { class: 'error', role: 'option', 'aria-disabled': 'true' }, err.message)); list.hidden = false; }
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer); asked++;
    if (input.value.trim().length < 2) { close(); return; }
    hits = []; active = -1;
    list.replaceChildren(html('li', { class: 'loading', role: 'option', 'aria-disabled': 'true' }, 'Searching…'));
    list.hidden = false; input.setAttribute('aria-expanded', 'true');
    timer = setTimeout(run, 180);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (list.hidden) { run(); return; }
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % Math.max(1, hits.length); paint();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (!list.hidden && hits.length) pick(Math.max(0, active)); else { clearTimeout(timer); run(); }
    } else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}
const searchKind = (t) => ({ Country: 'COUNTRY', RegionalProcess: 'REGIONAL_PROCESS', Instrument: 'INSTRUMENT', Organisation: 'ORGANISATION', Project: 'PROJECT', ThematicArea: 'THEMATIC_AREA' }[t]);

// ---- gaps ----
async function showView(view, { record = true } = {}) {
  state.view = view;
  $('network-tab').setAttribute('aria-selected', String(view === 'network'));
  $('gaps-tab').setAttribute('aria-selected', String(view === 'gaps'));
  $('network').hidden = view !== 'network';
  $('gaps').hidden = view !== 'gaps';
  if (record) writeURL();
  if (view === 'network') { cy.resize(); return; }
  const country = state.country || (cy.getElementById(state.node).data('kind') === 'Country' ? state.node : '');
  if (!country) { $('gaps-body').replaceChildren(html('p', { class: 'empty' }, 'Open a country to see its gaps.')); return; }
  state.country = country;
  if (record) writeURL();
  if (gapsShown === country) return;
  gapsShown = country;
  gapData = null;
  const drawn = gaps.render($('gaps-body'), api.gaps(country), { onOpen: (key) => { showView('network'); open(key); }, onHighlight: highlightFollowUp });
  gapDrawings = drawn.drawings;
  const { data, errors } = await loading(`the gaps of ${country}`, () => drawn.done);
  if (gapsShown !== country) return;
  gapData = data;
  if (errors.length) { status(errors[0].message, 'error'); return; }
  if (!data.country) { status(`No country has the key ${country}.`, 'error'); return; }
  status(`Gaps in ${data.country.name}: ${data.overlappingFunding.windowCount} overlap windows, ${data.missingNationalFollowUp.missingCount} missing and ${data.missingNationalFollowUp.pendingCount} pending follow-ups, ${data.fundingFlows.linkCount} funding links.`);
}

// highlightFollowUp draws each missing or pending follow-up on the graph as a dashed edge from
// the country to the theme, through the process or regional project it comes from.
async function highlightFollowUp(activities) {
  await showView('network');
  if (state.node !== state.country) await open(state.country);
  const nodes = []; const edges = [];
  for (const a of activities) {
    const via = a.process || a.project;
    nodes.push({ __typename: 'ThematicArea', key: a.theme.key, name: a.theme.name });
    if (a.process) nodes.push({ __typename: 'RegionalProcess', key: a.process.key, processShortName: a.process.shortName });
    else nodes.push({ __typename: 'Project', key: a.project.key, title: a.project.title });
    edges.push({ type: 'FOLLOW_UP', from: { key: via.key }, to: { key: a.theme.key }, properties: [{ name: 'status', value: a.status }], sources: a.sources });
  }
  graph.add(cy, nodes, [], state.country);
  for (const [i, e] of edges.entries()) {
    const a = activities[i];
    const id = `gap|${state.country}|${a.theme.key}|${e.from.key}`;
    if (cy.getElementById(id).empty()) {
      cy.add({ group: 'edges', classes: 'gap-edge', data: { id, source: state.country, target: a.theme.key, type: 'FOLLOW_UP',
        label: `${a.status.toLowerCase()} follow-up (${a.process ? a.process.shortName : 'regional project'})`, props: { status: a.status, deadline: a.deadline, via: e.from.key }, sources: a.sources } });
    }
    cy.getElementById(e.from.key).addClass('gap');
    cy.getElementById(a.theme.key).addClass('gap');
  }
  refresh(); layout();
  status(`${activities.length} regional activities without national follow-up are marked in red.`);
}

// ---- exports ----
function download(blob, name) {
  const a = html('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
const baseName = () => `partnership-graph-${state.view === 'gaps' ? `gaps-${state.country}` : state.node || 'view'}`.replace(/[^A-Za-z0-9_-]+/g, '-');
function gapsSVG() {
  const gapSVGs = [gapDrawings.timeline, gapDrawings.sankey].filter(Boolean);
  const width = Math.max(...gapSVGs.map((s) => Number(s.getAttribute('width'))), 400);
  let y = 0; const parts = [];
  for (const s of gapSVGs) {
    const h = Number(s.getAttribute('height'));
    parts.push(`<g transform="translate(0,${y})">${new XMLSerializer().serializeToString(s).replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '')}</g>`);
    y += h + 20;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif"><rect width="${width}" height="${y}" fill="#ffffff"/>${parts.join('')}</svg>`;
}
async function svgToPNG(text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise((ok, fail) => { img.onload = ok; img.onerror = () => fail(new Error('the drawing could not be rendered')); img.src = url; });
    const canvas = html('canvas', { width: img.width * 2, height: img.height * 2 });
    const ctx = canvas.getContext('2d'); ctx.scale(2, 2); ctx.drawImage(img, 0, 0);
    return await new Promise((ok) => canvas.toBlob(ok, 'image/png'));
  } finally { URL.revokeObjectURL(url); }
}
async function exportAs(format) {
  try {
    if (state.view === 'gaps') {
      if (!gapData) throw new Error('open a country first');
      if (format === 'csv') download(new Blob([graph.csv(gaps.rows(gapData))], { type: 'text/csv' }), `${baseName()}.csv`);
      else if (!gapDrawings.timeline && !gapDrawings.sankey) throw new Error('this country has no timeline or flows to draw');
      else if (format === 'svg') download(new Blob([gapsSVG()], { type: 'image/svg+xml' }), `${baseName()}.svg`);
      else download(await svgToPNG(gapsSVG()), `${baseName()}.png`);
    } else {
      if (!cy.nodes().length) throw new Error('open a node first');
      if (format === 'csv') download(new Blob([graph.csv(graph.rows(cy))], { type: 'text/csv' }), `${baseName()}.csv`);
      else if (format === 'svg') download(new Blob([graph.toSVG(cy)], { type: 'image/svg+xml' }), `${baseName()}.svg`);
      else download(await cy.png({ output: 'blob-promise', full: true, scale: 2, bg: '#ffffff' }), `${baseName()}.png`);
    }
    status(`Exported ${format.toUpperCase()}.`);
  } catch (err) { status(`Nothing exported: ${err.message}.`, 'error'); }
}

// ---- keyboard on the graph: arrows move between nodes, Enter expands, Escape clears ----
function keyOnGraph(e) {
  const shown = cy.nodes().not('.filtered');
  if (!shown.length) return;
  const current = cy.getElementById(state.sel);
  const dir = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
  if (dir) {
    e.preventDefault();
    if (current.empty() || !current.isNode()) { select(shown[0].id()); return; }
    const p = current.position(); let best = null; let bestScore = Infinity;
    shown.forEach((n) => {
      if (n.same(current)) return;
      const dx = n.position().x - p.x; const dy = n.position().y - p.y;
      const along = dx * dir[0] + dy * dir[1];
      if (along <= 0) return;
      const score = Math.hypot(dx, dy) + 2 * Math.abs(dx * dir[1] - dy * dir[0]);
      if (score < bestScore) { bestScore = score; best = n; }
    });
    if (best) { select(best.id()); if (!best.renderedBoundingBox().x1 || !inView(best)) cy.center(best); }
  } else if (e.key === 'Enter' && current.nonempty() && current.isNode()) { e.preventDefault(); expand(current.id()); }
  else if (e.key === 'Escape') { cy.elements().unselect(); }
  else if (e.key === '+' || e.key === '=') cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  else if (e.key === '-') cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  else if (e.key === '0') cy.fit(undefined, 30);
}
function inView(n) {
  const b = n.renderedBoundingBox();
  return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= cy.width() && b.y2 <= cy.height();
}

// ---- controls ----
function buildControls(themeList) {
  $('types').replaceChildren(...graph.relationshipTypes.map((t) => html('label', {},
    html('input', { type: 'checkbox', value: t, checked: !state.hide.has(t), onchange: (e) => {
      if (e.target.checked) state.hide.delete(t); else state.hide.add(t);
      refresh(); writeURL();
    } }), ` ${t.toLowerCase().replaceAll('_', ' ')}`)));
  fillThemes(themeList);
}
function fillThemes(themeList) {
  $('theme').replaceChildren(html('option', { value: '' }, 'all themes'), ...themeList.map((t) => html('option', { value: t.key, selected: t.key === state.theme }, t.name)));
}
function syncControls() {
  $('from').value = state.from; $('to').value = state.to; $('depth').value = String(state.depth);
  $('theme').value = state.theme;
  $('on-enabled').checked = !!state.on;
  $('on').disabled = !state.on;
  if (state.on) $('on').value = String(monthIndex(state.on));
  $('on-label').textContent = state.on || 'any date';
  for (const box of $('types').querySelectorAll('input')) box.checked = !state.hide.has(box.value);
}
const monthIndex = (iso) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
const monthDate = (i) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;

function wire() {
  combobox($('q'), $('hits'), (n) => { showView('network'); open(n.key); });
  combobox($('path-to'), $('path-hits'), (n) => findPath($('path-from').value || state.sel || state.node, n.key));
  $('clear-path').addEventListener('click', () => { state.path = null; cy.elements().removeClass('path'); $('path-result').textContent = ''; writeURL(); });
  $('network-tab').addEventListener('click', () => showView('network'));
  $('gaps-tab').addEventListener('click', () => showView('gaps'));
  for (const tab of [$('network-tab'), $('gaps-tab')]) {
    tab.addEventListener('keydown', (e) => { if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') { const other = tab === $('network-tab') ? $('gaps-tab') : $('network-tab'); if (!other.disabled) { other.focus(); other.click(); } } });
  }
  $('depth').addEventListener('change', (e) => { state.depth = Number(e.target.value); if (state.node) open(state.node, { push: false }); });
  const dates = () => { state.from = $('from').value; state.to = $('to').value; refresh(); writeURL(); };
  $('from').addEventListener('change', dates); $('to').addEventListener('change', dates);
  $('theme').addEventListener('change', async (e) => { state.theme = e.target.value; await loading('the theme filter', themeFilter); refresh(); writeURL(); status(state.theme ? 'Projects on other themes are hidden.' : 'All themes shown.'); });
  $('on-enabled').addEventListener('change', (e) => {
    $('on').disabled = !e.target.checked;
    state.on = e.target.checked ? monthDate(Number($('on').value)) : '';
    $('on-label').textContent = state.on || 'any date'; refresh(); writeURL();
  });
  $('on').addEventListener('input', (e) => { state.on = monthDate(Number(e.target.value)); $('on-label').textContent = state.on; refresh(); writeURL(); });
  const now = new Date();
  $('on').min = String(2000 * 12); $('on').max = String((now.getUTCFullYear() + 5) * 12 + 11); $('on').value = String(now.getUTCFullYear() * 12 + now.getUTCMonth());
  for (const f of ['png', 'svg', 'csv']) $(`export-${f}`).addEventListener('click', () => exportAs(f));
  $('copy-link').addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(location.href); status('Link to this view copied.'); } catch { status(`Link to this view: ${location.href}`); }
  });
  $('api-key').value = api.apiKey();
  $('api-key').addEventListener('change', (e) => { api.setApiKey(e.target.value.trim()); status('API key kept for this tab.'); });
  $('graph').addEventListener('keydown', keyOnGraph);
  for (const b of document.querySelectorAll('[data-open]')) b.addEventListener('click', () => open(b.dataset.open));
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName)) { e.preventDefault(); $('q').focus(); }
  });
  cy.on('tap', 'node', (e) => { select(e.target.id()); });
  cy.on('dbltap', 'node', (e) => { expand(e.target.id()); });
  cy.on('tap', 'edge', (e) => { select(e.target.id()); });
  window.addEventListener('popstate', () => restore().catch(() => {}));
  window.addEventListener('resize', () => cy.resize());
}

// restore rebuilds the view the URL describes: the centre, each expansion, the path, the filters,
// the selection and the tab.
async function restore() {
  readURL();
  syncControls();
  gapsShown = '';
  const wanted = { ...state, expanded: [...state.expanded], path: state.path, sel: state.sel, view: state.view, country: state.country };
  if (wanted.node) {
    await open(wanted.node, { push: false });
    for (const key of wanted.expanded) await expand(key, { record: false });
    state.expanded = wanted.expanded.filter((k) => cy.getElementById(k).nonempty());
    if (wanted.path) await findPath(wanted.path[0], wanted.path[1], { record: false });
    if (wanted.country) state.country = wanted.country;
    await themeFilter(); refresh();
    if (wanted.expanded.length) status(`Reopened ${graph.label(cy.getElementById(state.node).data('node'))} with ${wanted.expanded.length} expanded node${wanted.expanded.length === 1 ? '' : 's'}.`);
    if (wanted.sel && cy.getElementById(wanted.sel).nonempty()) select(wanted.sel);
  } else {
    cy.elements().remove(); refresh();
  }
  await showView(wanted.view, { record: false });
  writeURL();
}

async function start() {
  if (window.matchMedia('(max-width: 800px)').matches) $('controls').open = false; // the graph first on a phone
  wire();
  readURL();
  buildControls([]);
  // The theme list fills its menu when it comes; the view does not wait for it.
  const themesLoaded = api.themes().then((list) => fillThemes(list), (err) => status(err.message, 'error'));
  try { await restore(); } catch { /* the status line says what failed */ }
  await themesLoaded;
  if (!state.node) status('Search for a country, process, instrument, organisation, project or theme, or pick an example.');
  window.explorer.ready = true;
  document.body.dataset.ready = 'true';
}
start();
