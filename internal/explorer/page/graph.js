// How nodes and relationships from the API become Cytoscape elements, how they are styled and
// filtered, and how the drawn view is written out as SVG and CSV.
import { money } from './svg.js';

export const kindColour = {
  Country: '#1f5fa8', RegionalProcess: '#7b3fa0', Instrument: '#e07b00', Organisation: '#2f7d32',
  Project: '#5f6b7a', ThematicArea: '#c2185b', Priority: '#b08900', Claim: '#8d6e63', Source: '#795548',
};
export const kindWords = {
  Country: 'country', RegionalProcess: 'regional process', Instrument: 'instrument', Organisation: 'organisation',
  Project: 'project', ThematicArea: 'thematic area', Priority: 'priority', Claim: 'claim', Source: 'source',
};
export const relationshipTypes = ['MEMBER_OF', 'TARGETS', 'FUNDS', 'IMPLEMENTS', 'FINANCED_BY', 'ADDRESSES', 'SUPPORTS',
  'HAS_PARTY', 'HAS_PILLAR', 'PART_OF', 'CONTRIBUTES_TO', 'BASED_IN', 'HAS_SECRETARIAT', 'SUCCEEDED_BY', 'FOLLOWS_UP',
  'STATES', 'ABOUT', 'HAS_CLAIM'];

export function label(n) {
  return n.shortName || n.processShortName || n.name || n.title || n.statement || (n.property ? `${n.property}: ${n.value}` : '') || n.key;
}

// nodeData is what a drawn node keeps of an API node: its dates for the time filters and its
// money for its size.
export function nodeData(n) {
  const d = { id: n.key, label: label(n), kind: n.__typename, gid: n.id, node: n };
  if (n.__typename === 'Project') {
    d.start = n.actualStart || n.plannedStart || '';
    d.end = n.actualEnd || n.plannedEnd || '';
    if (n.budget) { d.amount = Number(n.budget.amount); d.currency = n.budget.currency; }
  } else if (n.__typename === 'Instrument') {
    d.start = n.started || ''; d.end = n.ended || '';
    if (n.amount) { d.amount = Number(n.amount.amount); d.currency = n.amount.currency; }
  }
  return d;
}

export function edgeData(e) {
  const props = Object.fromEntries(e.properties.map((p) => [p.name, p.value]));
  const d = { id: `${e.from.key}|${e.type}|${e.to.key}`, source: e.from.key, target: e.to.key, type: e.type,
    label: e.type.toLowerCase().replaceAll('_', ' '), props, sources: e.sources || [] };
  if (props.amount) { d.amount = Number(props.amount); d.currency = props.currency || ''; }
  d.start = props.from || props.start || ''; d.end = props.until || props.end || '';
  return d;
}

// add puts the nodes and edges of an API answer into the graph, leaving those already drawn.
export function add(cy, nodes, edges, near) {
  const added = [];
  const centre = near ? cy.getElementById(near) : null;
  const origin = centre && centre.nonempty() ? centre.position() : { x: 0, y: 0 };
  let i = 0;
  for (const n of nodes) {
    if (cy.getElementById(n.key).nonempty()) continue;
    const angle = (i++ / Math.max(1, nodes.length)) * 2 * Math.PI;
    added.push(cy.add({ group: 'nodes', data: nodeData(n), position: { x: origin.x + 120 * Math.cos(angle), y: origin.y + 120 * Math.sin(angle) } }));
  }
  for (const e of edges) {
    const d = edgeData(e);
    if (cy.getElementById(d.id).nonempty()) continue;
    if (cy.getElementById(d.source).empty() || cy.getElementById(d.target).empty()) continue;
    added.push(cy.add({ group: 'edges', data: d }));
  }
  return added;
}

// resize sizes nodes and edges by the stated money in the view's main currency (the one most of
// its amounts are in): a project by its budget or its fundings, a donor by what it gives.
export function resize(cy) {
  const count = {};
  cy.elements().forEach((el) => { const c = el.data('currency'); if (c) count[c] = (count[c] || 0) + 1; });
  const main = Object.keys(count).sort((a, b) => count[b] - count[a])[0] || 'EUR';
  const value = new Map();
  cy.edges('[type = "FUNDS"]').forEach((e) => {
    if (e.data('currency') !== main || !(e.data('amount') > 0)) return;
    value.set(e.data('source'), (value.get(e.data('source')) || 0) + e.data('amount'));
  });
  cy.nodes().forEach((n) => {
    if (n.data('currency') === main && n.data('amount') > 0 && !value.has(n.id())) value.set(n.id(), n.data('amount'));
  });
  const maxNode = Math.max(1, ...value.values());
  cy.nodes().forEach((n) => {
    const v = value.get(n.id()) || 0;
    n.data('size', Math.round(18 + 36 * Math.sqrt(v / maxNode)));
    n.data('money', v ? money(v, main) : '');
  });
  const funds = cy.edges('[type = "FUNDS"]').filter((e) => e.data('currency') === main && e.data('amount') > 0);
  const maxEdge = Math.max(1, ...funds.map((e) => e.data('amount')));
  cy.edges().forEach((e) => {
    const a = e.data('currency') === main ? e.data('amount') || 0 : 0;
    e.data('width', a ? 1.5 + 8 * Math.sqrt(a / maxEdge) : 1.5);
  });
  return main;
}

export const style = [
  { selector: 'node', style: {
    'background-color': (n) => kindColour[n.data('kind')] || '#999', width: 'data(size)', height: 'data(size)',
    label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, 'text-wrap': 'ellipsis',
    'text-max-width': 130, color: '#1b1b1b', 'text-outline-color': '#ffffff', 'text-outline-width': 2,
  } },
  { selector: 'node[kind = "Project"]', style: { shape: 'round-rectangle' } },
  { selector: 'node[kind = "Instrument"]', style: { shape: 'diamond' } },
  { selector: 'node[kind = "RegionalProcess"]', style: { shape: 'hexagon' } },
  { selector: 'node[kind = "ThematicArea"]', style: { shape: 'tag' } },
  { selector: 'node.centre', style: { 'border-width': 3, 'border-color': '#111' } },
  { selector: 'edge', style: {
    width: 'data(width)', 'line-color': '#9aa4ae', 'target-arrow-color': '#9aa4ae', 'target-arrow-shape': 'triangle',
    'curve-style': 'bezier', 'arrow-scale': 0.7, label: 'data(label)', 'font-size': 8, color: '#555', 'text-rotation': 'autorotate',
    'text-outline-color': '#ffffff', 'text-outline-width': 1.5, 'min-zoomed-font-size': 4,
  } },
  { selector: 'edge[type = "FUNDS"]', style: { 'line-color': '#5c9e60', 'target-arrow-color': '#5c9e60' } },
  { selector: 'edge.gap-edge', style: { 'line-style': 'dashed', 'line-color': '#c62828', 'target-arrow-color': '#c62828', color: '#c62828', width: 2.5 } },
  { selector: 'node.gap', style: { 'border-width': 4, 'border-color': '#c62828' } },
  { selector: 'node.path', style: { 'border-width': 5, 'border-color': '#ffb300' } },
  { selector: 'edge.path', style: { 'line-color': '#ffb300', 'target-arrow-color': '#ffb300', width: 6, 'z-index': 10 } },
  { selector: '.faded', style: { opacity: 0.25 } },
  { selector: '.filtered', style: { display: 'none' } },
  { selector: ':selected', style: { 'overlay-color': '#1f5fa8', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
];

const within = (d, start, end) => (!start || start <= d) && (!end || end >= d);
const overlaps = (start, end, from, to) => (!from || !end || end >= from) && (!to || !start || start <= to);

// filter hides what the filters leave out: relationships of hidden types, projects, instruments
// and memberships not active on `on` or outside [from, to], projects off `themeKeys`; then the
// nodes left without a shown relationship (the centre stays). It returns the counts shown.
export function filter(cy, { hide, on, from, to, themeKeys, centre }) {
  cy.batch(() => {
    cy.elements().removeClass('filtered');
    // As the API's `activeOn`: a project with no start date is active on no date.
    const active = (el) => {
      const s = el.data('start'); const e = el.data('end');
      if (on && el.data('kind') === 'Project' && !s) return false;
      if (on && !within(on, s, e)) return false;
      if ((from || to) && !overlaps(s, e, from, to)) return false;
      return true;
    };
    cy.nodes().forEach((n) => {
      if (n.id() === centre) return;
      const kind = n.data('kind');
      if ((kind === 'Project' || kind === 'Instrument') && !active(n)) n.addClass('filtered');
      if (themeKeys && kind === 'Project' && !themeKeys.has(n.id())) n.addClass('filtered');
    });
    cy.edges().forEach((e) => {
      if (e.hasClass('gap-edge')) return;
      if (hide.has(e.data('type')) || !active(e) || e.source().hasClass('filtered') || e.target().hasClass('filtered')) e.addClass('filtered');
    });
    const anyFilter = hide.size || on || from || to || themeKeys;
    if (anyFilter) {
      cy.nodes().forEach((n) => {
        if (n.id() !== centre && !n.hasClass('filtered') && n.connectedEdges().filter((e) => !e.hasClass('filtered')).empty()) n.addClass('filtered');
      });
    }
  });
  return { nodes: cy.nodes().not('.filtered').length, edges: cy.edges().not('.filtered').length };
}

const escapeXML = (s) => String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }[c]));

// toSVG writes the drawn graph (what is shown, at its positions) as a standalone SVG document.
export function toSVG(cy) {
  const shown = cy.elements().not('.filtered');
  const box = shown.boundingBox({ includeLabels: true });
  const pad = 20;
  const w = Math.ceil(box.w + 2 * pad); const h = Math.ceil(box.h + 2 * pad);
  const X = (x) => (x - box.x1 + pad).toFixed(1); const Y = (y) => (y - box.y1 + pad).toFixed(1);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`];
  shown.edges().forEach((e) => {
    const s = e.source().position(); const t = e.target().position();
    const colour = e.hasClass('path') ? '#ffb300' : e.hasClass('gap-edge') ? '#c62828' : e.data('type') === 'FUNDS' ? '#5c9e60' : '#9aa4ae';
    out.push(`<line class="edge" data-type="${e.data('type')}" x1="${X(s.x)}" y1="${Y(s.y)}" x2="${X(t.x)}" y2="${Y(t.y)}" stroke="${colour}" stroke-width="${e.hasClass('path') ? 6 : e.data('width') || 1.5}"${e.hasClass('gap-edge') ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${X((s.x + t.x) / 2)}" y="${Y((s.y + t.y) / 2)}" font-size="7" fill="#555" text-anchor="middle">${escapeXML(e.data('label'))}</text>`);
  });
  shown.nodes().forEach((n) => {
    const p = n.position(); const r = (n.data('size') || 22) / 2;
    const border = n.hasClass('path') ? ' stroke="#ffb300" stroke-width="5"' : n.hasClass('gap') ? ' stroke="#c62828" stroke-width="4"' : n.hasClass('centre') ? ' stroke="#111" stroke-width="3"' : '';
    out.push(`<circle class="node" data-key="${escapeXML(n.id())}" cx="${X(p.x)}" cy="${Y(p.y)}" r="${r}" fill="${kindColour[n.data('kind')] || '#999'}"${border}><title>${escapeXML(n.data('label'))}</title></circle>`);
    const text = n.data('label').length > 28 ? `${n.data('label').slice(0, 27)}…` : n.data('label');
    out.push(`<text x="${X(p.x)}" y="${Y(p.y + r + 11)}" font-size="10" fill="#1b1b1b" text-anchor="middle">${escapeXML(text)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

// rows are the shown nodes and relationships as CSV rows.
export function rows(cy) {
  const out = [['element', 'kind', 'key', 'label', 'from', 'to', 'start', 'end', 'amount', 'currency', 'sources']];
  const shown = cy.elements().not('.filtered');
  shown.nodes().forEach((n) => out.push(['node', n.data('kind'), n.id(), n.data('label'), '', '', n.data('start') || '', n.data('end') || '', n.data('amount') ?? '', n.data('currency') || '', '']));
  shown.edges().forEach((e) => out.push(['relationship', e.data('type'), '', e.data('label'), e.data('source'), e.data('target'), e.data('start') || '', e.data('end') || '',
    e.data('amount') ?? '', e.data('currency') || '', (e.data('sources') || []).map((s) => s.source.url || s.source.title).join(' | ')]));
  return out;
}

// csv writes rows as RFC 4180 text; a text cell that a spreadsheet would read as a formula
// (starting with =, +, @ or a tab) is written with a leading apostrophe.
export function csv(rowList) {
  return rowList.map((r) => r.map((v) => {
    let s = String(v ?? '');
    if (typeof v === 'string' && /^[=+@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  }).join(',')).join('\r\n') + '\r\n';
}
