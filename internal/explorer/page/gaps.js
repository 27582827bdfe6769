// The Gaps view of one country: overlapping funding windows on a timeline per theme, regional
// activities without national follow-up, stated priorities without funding, and the funding flows.
import { svg, html, money, totals } from './svg.js';
import { draw as drawSankey } from './sankey.js';

const day = 86400000;
const time = (iso) => Date.parse(`${iso}T00:00:00Z`);

// timeline draws one lane per theme with the overlap windows as bars and their projects as thin
// lines under them, on a common axis of years.
export function timeline(windows, width = 900) {
  const themes = [...new Map(windows.map((w) => [w.theme.key, w.theme])).values()];
  const starts = windows.flatMap((w) => [time(w.from), ...w.projects.map((p) => time(p.start))]);
  const ends = windows.flatMap((w) => [time(w.to), ...w.projects.map((p) => time(p.end))]);
  const t0 = new Date(Math.min(...starts)); const t1 = new Date(Math.max(...ends));
  const y0 = Date.UTC(t0.getUTCFullYear(), 0, 1); const y1 = Date.UTC(t1.getUTCFullYear() + 1, 0, 1);
  const left = 170; const laneGap = 10; const top = 24;
  const x = (t) => left + ((t - y0) / (y1 - y0)) * (width - left - 40);
  const lanes = themes.map((theme) => {
    const own = windows.filter((w) => w.theme.key === theme.key);
    const projects = [...new Map(own.flatMap((w) => w.projects).map((p) => [p.project.key, p])).values()];
    return { theme, own, projects, height: 22 + Math.min(projects.length, 12) * 5 };
  });
  const height = top + lanes.reduce((s, l) => s + l.height + laneGap, 0) + 10;
  const root = svg('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    class: 'timeline', 'aria-label': `Overlapping funding windows by theme, ${new Date(y0).getUTCFullYear()} to ${new Date(y1).getUTCFullYear() - 1}` });
  root.append(svg('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  const years = (y1 - y0) / (365.25 * day);
  const every = years > 24 ? 5 : years > 12 ? 2 : 1;
  for (let y = new Date(y0).getUTCFullYear(); y <= new Date(y1).getUTCFullYear(); y += every) {
    const xx = x(Date.UTC(y, 0, 1));
    root.append(svg('line', { x1: xx, x2: xx, y1: top - 6, y2: height, stroke: '#e3e3e3' }),
      svg('text', { x: xx + 2, y: 14, 'font-size': 11, fill: '#555' }, y));
  }
  let y = top;
  for (const lane of lanes) {
    root.append(svg('text', { x: 4, y: y + 15, 'font-size': 12, fill: '#222' }, lane.theme.name.length > 24 ? `${lane.theme.name.slice(0, 23)}…` : lane.theme.name));
    for (const w of lane.own) {
      root.append(svg('rect', { class: 'overlap-window', x: x(time(w.from)), y, width: Math.max(2, x(time(w.to) + day) - x(time(w.from))), height: 16,
        rx: 3, fill: '#d9480f', 'fill-opacity': 0.75, 'data-theme': w.theme.key },
      svg('title', {}, `${w.theme.name}: ${w.from} to ${w.to}${w.endsAtAsOf ? ' (open-ended)' : ''}, ${w.donors.length} donors: ${w.donors.map((d) => d.donor.shortName || d.donor.name).join(', ')}; ${totals(w.totals)}`)));
    }
    lane.projects.slice(0, 12).forEach((p, i) => {
      root.append(svg('line', { x1: x(time(p.start)), x2: x(time(p.end) + day), y1: y + 22 + i * 5, y2: y + 22 + i * 5,
        stroke: '#5f6b7a', 'stroke-width': 3, 'stroke-dasharray': p.endAssumed ? '4 2' : null }, svg('title', {}, `${p.project.title}: ${p.start} to ${p.end}`)));
    });
    y += lane.height + laneGap;
  }
  return root;
}

const statusWords = { MISSING: 'missing', PENDING: 'pending', FOUND: 'found' };

// render fills the Gaps panel from the answers in `parts` (promises, see api.gaps), each section
// as its answer comes: a loading line first, then the section or the error in words. It returns
// the drawings the view exports (filled in as they are drawn) and a promise of the data answered.
export function render(panel, parts, { onOpen, onHighlight }) {
  const link = (node, label) => html('button', { type: 'button', class: 'link', onclick: () => onOpen(node.key) }, label);
  const drawings = { timeline: null, sankey: null };
  const width = Math.max(560, Math.min(1200, panel.clientWidth - 8)); // the drawings fit the panel; narrower ones scroll
  const title = html('h2', {}, 'Gaps');
  panel.replaceChildren(title);
  parts.country.then((c) => { title.textContent = c ? `Gaps in ${c.name}` : 'No such country'; }, () => {});
  const sections = [
    ['overlaps', 'Overlapping funding windows', parts.overlappingFunding, (d) => overlapSection(d, drawings, width)],
    ['followup', 'Regional activity without national follow-up', parts.missingNationalFollowUp, (d) => followUpSection(d, link, onHighlight)],
    ['priorities', 'Stated priorities', parts.priorityGaps, (d) => prioritySection(d, link)],
    ['flows', 'Funding flows', parts.fundingFlows, (d) => flowSection(d, drawings, width)],
  ];
  for (const [id, heading, promise, build] of sections) {
    const placeholder = html('section', { class: 'gap-section pending', id: `${id}-loading`, 'aria-busy': 'true' },
      html('h3', {}, heading), html('p', { class: 'loading' }, `Loading ${heading.toLowerCase()}…`));
    panel.append(placeholder);
    promise.then((d) => placeholder.replaceWith(build(d)),
      (err) => placeholder.replaceChildren(html('h3', {}, heading), html('p', { class: 'error' }, err.message)));
  }
  const names = ['country', 'overlappingFunding', 'missingNationalFollowUp', 'priorityGaps', 'fundingFlows'];
  const done = Promise.allSettled(names.map((n) => parts[n])).then((results) => {
    const data = {}; const errors = [];
    results.forEach((r, i) => { if (r.status === 'fulfilled') data[names[i]] = r.value; else errors.push(r.reason); });
    return { data, errors };
  });
  return { drawings, done };
}

function overlapSection(overlap, drawings, width) {
  const s = html('section', { class: 'gap-section', id: 'overlaps', 'aria-labelledby': 'overlaps-h' },
    html('h3', { id: 'overlaps-h' }, `Overlapping funding windows (${overlap.windowCount})`),
    html('p', { class: 'hint' }, `Periods in which several donors fund different projects on one theme; open-ended projects run until ${overlap.asOf}.`));
  if (!overlap.windows.length) {
    s.append(html('p', { class: 'empty' }, 'No overlapping funding windows: no two donors fund different projects on one theme at the same time.'));
    return s;
  }
  drawings.timeline = timeline(overlap.windows, width);
  s.append(html('div', { class: 'scroll' }, drawings.timeline));
  s.append(html('div', { class: 'scroll' }, html('table', { class: 'data' },
    html('thead', {}, html('tr', {}, ['Theme', 'From', 'To', 'Donors', 'Projects', 'Stated funding'].map((h) => html('th', { scope: 'col' }, h)))),
    html('tbody', {}, overlap.windows.map((w) => html('tr', { class: 'overlap-row' },
      html('td', {}, w.theme.name), html('td', {}, w.from), html('td', {}, w.to + (w.endsAtAsOf ? ' (open)' : '')),
      html('td', {}, w.donors.map((d) => d.donor.shortName || d.donor.name).join(', ')),
      html('td', {}, String(w.projects.length)), html('td', {}, totals(w.totals))))))));
  return s;
}

function followUpSection(follow, link, onHighlight) {
  const s = html('section', { class: 'gap-section', id: 'followup', 'aria-labelledby': 'followup-h' },
    html('h3', { id: 'followup-h' }, `Regional activity without national follow-up (${follow.missingCount} missing, ${follow.pendingCount} pending, ${follow.foundCount} found)`),
    html('p', { class: 'hint' }, `A national project on the same theme must start within ${follow.windowYears} years; judged on ${follow.asOf}.`));
  if (!follow.activities.length) {
    s.append(html('p', { class: 'empty' }, 'Every regional activity here has had its national follow-up.'));
    return s;
  }
  s.append(html('button', { type: 'button', id: 'highlight-followup', onclick: () => onHighlight(follow.activities) }, 'Highlight on the graph'));
  s.append(html('ul', { class: 'followups' }, follow.activities.map((a) => html('li', { class: `followup ${a.status.toLowerCase()}`, dataset: { status: a.status } },
    html('span', { class: `badge ${a.status.toLowerCase()}` }, statusWords[a.status]), ' ',
    a.kind === 'PROCESS_MEMBERSHIP' ? ['membership of ', link(a.process, a.process.shortName)] : ['regional project ', link(a.project, a.project.title)],
    ' on ', link(a.theme, a.theme.name), `, since ${a.start}, deadline ${a.deadline}`,
    a.overdueDays != null ? ` (${a.overdueDays} days overdue)` : '', a.daysLeft != null ? ` (${a.daysLeft} days left)` : '',
    a.followUp ? [' - planned: ', link(a.followUp, a.followUp.title)] : '',
    sourceLinks(a.sources)))));
  return s;
}

function prioritySection(report, link) {
  const prio = report.countries[0];
  const unfunded = prio ? prio.priorities.filter((p) => p.unfunded) : [];
  const s = html('section', { class: 'gap-section', id: 'priorities', 'aria-labelledby': 'priorities-h' },
    html('h3', { id: 'priorities-h' }, `Stated priorities (${unfunded.length} unfunded)`));
  if (!prio || !prio.priorities.length) {
    s.append(html('p', { class: 'empty' }, 'No stated priorities are recorded for this country.'));
    return s;
  }
  s.append(html('ul', { class: 'priorities' }, prio.priorities.map((p) => html('li', { class: p.unfunded ? 'priority unfunded' : 'priority' },
    html('span', { class: `badge ${p.unfunded ? 'missing' : 'found'}` }, p.unfunded ? 'unfunded' : 'funded'), ' ',
    p.priority.statement, p.theme ? [' (', link(p.theme, p.theme.name), ')'] : '',
    p.viaProcess ? ` via ${p.viaProcess.shortName}` : '', `: ${p.projectCount} projects, ${totals(p.totals)}`,
    sourceLinks(p.priority.sources)))));
  if (prio.shares.length) {
    s.append(html('p', {}, 'Share of funding on stated priorities: ',
      prio.shares.map((x) => `${Math.round(x.share * 100)}% of ${money(x.totalAmount, x.currency)}`).join('; ')));
  }
  return s;
}

function flowSection(flows, drawings, width) {
  const s = html('section', { class: 'gap-section', id: 'flows', 'aria-labelledby': 'flows-h' },
    html('h3', { id: 'flows-h' }, `Funding flows (${flows.fundingCount} fundings, ${totals(flows.totals)})`));
  const currencies = [...new Set(flows.links.map((l) => l.currency).filter(Boolean))];
  if (!currencies.length) {
    s.append(html('p', { class: 'empty' }, 'No funding with a stated amount reaches this country.'));
    return s;
  }
  const main = flows.totals.slice().sort((a, b) => b.amount - a.amount)[0].currency;
  const holder = html('div', { class: 'scroll' });
  const show = (c) => { drawings.sankey = drawSankey(flows, c, width); holder.replaceChildren(drawings.sankey); };
  if (currencies.length > 1) {
    s.append(html('label', {}, 'Currency ', html('select', { id: 'flow-currency', onchange: (e) => show(e.target.value) },
      currencies.map((c) => html('option', { value: c, selected: c === main }, c)))));
  }
  show(main);
  s.append(html('p', { class: 'hint' }, `${flows.levels.join(' → ').toLowerCase()}; the ${flows.links.length} largest of ${flows.linkCount} links; amounts are split across a project's countries by share.`), holder);
  return s;
}

export function sourceLinks(sources) {
  if (!sources || !sources.length) return '';
  return html('span', { class: 'sources' }, ' [', sources.map((s, i) => [i ? ', ' : '',
    html('a', { href: s.source.url || `/id/source/${s.source.key.replace(/^source:/, '')}`, rel: 'noreferrer', target: '_blank',
      title: s.locator || s.source.title }, s.source.title)]), ']');
}

// rows are the Gaps view's data as CSV rows.
export function rows(data) {
  const out = [['section', 'theme', 'from', 'to', 'status', 'subject', 'detail', 'amount', 'currency']];
  for (const w of data.overlappingFunding ? data.overlappingFunding.windows : []) {
    for (const m of w.totals.length ? w.totals : [{ amount: '', currency: '' }]) {
      out.push(['overlap', w.theme.name, w.from, w.to, '', w.donors.map((d) => d.donor.name).join('; '), w.projects.map((p) => p.project.title).join('; '), m.amount, m.currency]);
    }
  }
  for (const a of data.missingNationalFollowUp ? data.missingNationalFollowUp.activities : []) {
    out.push(['follow-up', a.theme.name, a.start, a.deadline, a.status, a.process ? a.process.shortName : a.project.title, a.followUp ? a.followUp.title : '', '', '']);
  }
  const prio = data.priorityGaps && data.priorityGaps.countries[0];
  for (const p of prio ? prio.priorities : []) {
    out.push(['priority', p.theme ? p.theme.name : '', p.priority.stated || '', '', p.unfunded ? 'UNFUNDED' : 'FUNDED', p.priority.statement, `${p.projectCount} projects`, p.totals.map((t) => t.amount).join('; '), p.totals.map((t) => t.currency).join('; ')]);
  }
  const flows = data.fundingFlows || { nodes: [], links: [] };
  const label = new Map(flows.nodes.map((n) => [n.key, n.label]));
  for (const l of flows.links) {
    out.push(['flow', '', '', '', '', label.get(l.source) || l.source, label.get(l.target) || l.target, l.amount, l.currency || '']);
  }
  return out;
}
