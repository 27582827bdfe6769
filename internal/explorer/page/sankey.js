// A small Sankey diagram in SVG: nodes in columns by level, heights proportional to what flows
// through them, links as bands between consecutive columns.
import { svg, money } from './svg.js';

// layout places nodes and links; it is pure (no DOM) so that its arithmetic can be checked alone.
// levels: level names in column order; nodes: {key, level, label}; links: {source, target, amount}.
export function layout(levels, nodes, links, width, height, { nodeWidth = 12, gap = 6, labelRoom = 0 } = {}) {
  const byKey = new Map(nodes.map((n) => [n.key, { ...n, in: 0, out: 0, inLinks: [], outLinks: [] }]));
  const placed = [];
  for (const given of links) {
    // Amounts come from the API as Decimal strings: numbers only for drawing.
    const l = { ...given, amount: Number(given.amount) };
    const s = byKey.get(l.source); const t = byKey.get(l.target);
    if (!s || !t || !(l.amount > 0)) continue;
    const link = { ...l, s, t };
    s.out += l.amount; t.in += l.amount; s.outLinks.push(link); t.inLinks.push(link);
    placed.push(link);
  }
  const columns = levels.map((level) => [...byKey.values()].filter((n) => n.level === level && (n.in > 0 || n.out > 0)));
  const usable = width - nodeWidth - labelRoom;
  const step = levels.length > 1 ? usable / (levels.length - 1) : 0;
  let scale = Infinity;
  for (const col of columns) {
    const total = col.reduce((sum, n) => sum + Math.max(n.in, n.out), 0);
    if (total > 0) scale = Math.min(scale, (height - gap * (col.length - 1)) / total);
  }
  if (!Number.isFinite(scale) || scale <= 0) scale = 0;
  columns.forEach((col, i) => {
    col.sort((a, b) => Math.max(b.in, b.out) - Math.max(a.in, a.out) || a.key.localeCompare(b.key));
    let y = 0;
    for (const n of col) {
      n.x = i * step; n.y = y; n.h = Math.max(1, Math.max(n.in, n.out) * scale);
      y += n.h + gap;
    }
  });
  for (const n of byKey.values()) {
    let so = n.y; let ti = n.y;
    n.outLinks.sort((a, b) => a.t.y - b.t.y).forEach((l) => { l.sy = so; l.w = Math.max(1, l.amount * scale); so += l.amount * scale; });
    n.inLinks.sort((a, b) => a.s.y - b.s.y).forEach((l) => { l.ty = ti; ti += l.amount * scale; });
  }
  return { columns, links: placed, nodeWidth, step };
}

const levelColour = { DONOR: '#2f7d32', INSTRUMENT: '#e07b00', PROJECT: '#5f6b7a', COUNTRY: '#1f5fa8', THEME: '#c2185b' };

// draw returns the SVG of the diagram for the links of one currency.
export function draw(flows, currency, width = 900) {
  const links = flows.links.filter((l) => l.currency === currency);
  const keys = new Set(links.flatMap((l) => [l.source, l.target]));
  const nodes = flows.nodes.filter((n) => keys.has(n.key));
  const height = Math.max(240, Math.min(900, nodes.length * 16));
  const labelRoom = 130;
  const { columns, links: placed, nodeWidth, step } = layout(flows.levels, nodes, links, width, height, { labelRoom });
  const root = svg('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${width} ${height + 30}`, width, height: height + 30,
    role: 'img', 'aria-label': `Funding flows in ${currency}: ${flows.levels.join(' to ')}`, class: 'sankey' });
  root.append(svg('rect', { x: 0, y: 0, width, height: height + 30, fill: '#ffffff' }));
  const body = svg('g', { transform: 'translate(0,24)' });
  root.append(body);
  columns.forEach((col, i) => {
    if (col.length) root.append(svg('text', { x: col[0].x, y: 14, 'font-size': 12, 'font-weight': 'bold', fill: '#333' }, flows.levels[i].toLowerCase()));
  });
  for (const l of placed) {
    const x0 = l.s.x + nodeWidth; const x1 = l.t.x; const xm = (x0 + x1) / 2;
    const y0 = l.sy + l.w / 2; const y1 = l.ty + l.w / 2;
    body.append(svg('path', { class: 'sankey-link', d: `M${x0},${y0} C${xm},${y0} ${xm},${y1} ${x1},${y1}`,
      fill: 'none', stroke: levelColour[l.s.level] || '#888', 'stroke-opacity': 0.35, 'stroke-width': l.w, 'data-source': l.source, 'data-target': l.target },
    svg('title', {}, `${l.s.label} → ${l.t.label}: ${money(l.amount, currency)} (${l.fundingCount} funding${l.fundingCount === 1 ? '' : 's'})`)));
  }
  columns.forEach((col, i) => {
    const last = i === columns.length - 1;
    const room = Math.max(6, Math.floor(((last ? labelRoom : step - nodeWidth) - 8) / 6.2)); // characters that fit
    for (const n of col) {
      body.append(svg('rect', { class: 'sankey-node', x: n.x, y: n.y, width: nodeWidth, height: n.h,
        fill: n.placeholder ? '#bbbbbb' : levelColour[n.level] || '#888', 'data-key': n.key },
      svg('title', {}, `${n.label}: ${money(Math.max(n.in, n.out), currency)}`)));
      if (n.h >= 9 || col.length <= 12) {
        const label = n.label.length > room ? `${n.label.slice(0, room - 1)}…` : n.label;
        body.append(svg('text', { x: n.x + nodeWidth + 4, y: n.y + n.h / 2 + 4, 'font-size': 11, fill: '#222' }, label));
      }
    }
  });
  return root;
}
