// Small helpers to build SVG and HTML elements without innerHTML (no markup from data is parsed).
const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(name, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export function html(name, attrs = {}, ...children) {
  const el = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// money formats an amount with its currency, shortened for reading (EUR 12.5 M).
export function money(amount, currency) {
  if (amount === null || amount === undefined) return 'no amount stated';
  const a = Math.abs(amount);
  const [n, unit] = a >= 1e9 ? [amount / 1e9, ' bn'] : a >= 1e6 ? [amount / 1e6, ' M'] : a >= 1e3 ? [amount / 1e3, ' k'] : [amount, ''];
  return `${currency || ''} ${n.toLocaleString('en', { maximumFractionDigits: 1 })}${unit}`.trim();
}

export function totals(list) {
  return list && list.length ? list.map((m) => money(m.amount, m.currency)).join(' + ') : 'no amount stated';
}
