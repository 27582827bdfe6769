// The explorer's only way to the data: the public GraphQL API of the server that serves the page.
// Errors come back as sentences a person can act on, never as JSON.

const KEY_STORAGE = 'partnership-graph-api-key';

export function apiKey() { return sessionStorage.getItem(KEY_STORAGE) || ''; }
export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key); else sessionStorage.removeItem(KEY_STORAGE);
}

// ApiError is a failed request, with a sentence for people and the GraphQL code when there is one.
export class ApiError extends Error {
  constructor(message, code) { super(message); this.code = code || ''; }
}

const advice = {
  UNAUTHENTICATED: 'This server needs an API key: enter yours under "API key" and try again.',
  FORBIDDEN: 'Your API key may not read this.',
  RATE_LIMITED: 'Too many requests for now: wait a few seconds and try again.',
  COMPLEXITY_LIMIT_EXCEEDED: 'That view asks for too much at once: open fewer nodes or a smaller depth.',
  TIMEOUT: 'The server took too long to answer: try a smaller view.',
  SERVICE_UNAVAILABLE: 'The database is not reachable right now: try again in a moment.',
};

// query runs one GraphQL operation and returns its data, or throws an ApiError.
export async function query(text, variables = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
  const key = apiKey();
  if (key) headers['X-API-Key'] = key;
  let response;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query: text, variables }) });
    } catch {
      throw new ApiError('The server cannot be reached: check your connection and try again.', 'NETWORK');
    }
    // A busy server says when to come back (Retry-After); the page does, twice at most.
    const wait = Number(response.headers.get('Retry-After'));
    if (![429, 503].includes(response.status) || attempt >= 2 || !(wait > 0) || wait > 5) break;
    await new Promise((ok) => setTimeout(ok, wait * 1000));
  }
  let body = null;
  try { body = await response.json(); } catch { /* described below */ }
  const error = body && Array.isArray(body.errors) && body.errors[0];
  if (error) {
    const code = (error.extensions && error.extensions.code) || '';
    const words = advice[code] || error.message;
    throw new ApiError(words + (error.extensions && error.extensions.requestId ? ` (request ${error.extensions.requestId})` : ''), code);
  }
  if (!response.ok || !body || !body.data) {
    throw new ApiError(`The server answered ${response.status} ${response.statusText || ''} without data: try again.`.replace('  ', ' '), 'HTTP');
  }
  return body.data;
}

// NODE_FIELDS are what the graph draws of every node.
export const NODE_FIELDS = `
fragment NodeFields on Node {
  __typename id key
  ... on Country { name iso2 iso3 }
  ... on RegionalProcess { name processShortName: shortName launched }
  ... on Instrument { name shortName instrumentKind: kind started ended amount { amount currency } }
  ... on Organisation { name shortName organisationKind: kind }
  ... on Project { title status scope iatiIdentifier plannedStart actualStart plannedEnd actualEnd budget { amount currency } }
  ... on ThematicArea { name }
  ... on Priority { statement stated }
  ... on Claim { property value }
  ... on Source { title url }
}`;

const EDGE_FIELDS = `
fragment EdgeFields on GraphEdge {
  type from { key } to { key } properties { name value }
  sources { locator status source { key title url file publisher } }
}`;

export function neighbourhood(key, depth, limit = 100) {
  return query(`query Neighbourhood($id: ID!, $depth: Int, $limit: Int) {
    neighbourhood(id: $id, depth: $depth, limit: $limit) {
      center { ...NodeFields }
      nodes { distance node { ...NodeFields } }
      edges { ...EdgeFields }
      truncated
    }
  }${NODE_FIELDS}${EDGE_FIELDS}`, { id: key, depth, limit }).then((d) => d.neighbourhood);
}

export function paths(from, to, maxHops = 4) {
  return query(`query Paths($from: ID!, $to: ID!, $maxHops: Int) {
    paths(from: $from, to: $to, maxHops: $maxHops, first: 5) {
      length
      paths { length nodes { ...NodeFields } edges { ...EdgeFields } }
    }
  }${NODE_FIELDS}${EDGE_FIELDS}`, { from, to, maxHops }).then((d) => d.paths);
}

export function search(text, types) {
  return query(`query Search($text: String!, $types: [SearchKind!]) {
    search(text: $text, types: $types, first: 12) {
      totalCount
      edges { node { ...NodeFields
        ... on Country { aliases }
        ... on RegionalProcess { aliases }
        ... on Instrument { aliases }
        ... on Organisation { aliases iatiIdentifier }
        ... on ThematicArea { aliases }
      } }
    }
  }${NODE_FIELDS}`, { text, types: types || null }).then((d) => d.search);
}

// lookup finds a node by key, ISO code or IATI identifier before falling back to search, so that
// exact identifiers always open what they name.
export async function lookup(text) {
  const t = text.trim();
  const d = await query(`query Lookup($key: String!, $code: String!, $iati: String!, $exact: Boolean!, $isCode: Boolean!) {
    byKey: nodeByKey(key: $key) @include(if: $exact) { ...NodeFields }
    byCode: country(code: $code) @include(if: $isCode) { ...NodeFields }
    byIati: projects(first: 1, where: { iatiIdentifier: { equals: $iati } }) @include(if: $exact) { nodes { ...NodeFields } }
  }${NODE_FIELDS}`, { key: t, code: t, iati: t, exact: /^[^\s]+$/.test(t), isCode: /^[A-Za-z]{2,3}$/.test(t) });
  return [d.byKey, d.byCode, d.byIati && d.byIati.nodes[0]].filter(Boolean);
}

export function facts(key) {
  const sources = 'sources { locator status source { key title url file publisher published } }';
  return query(`query Facts($key: String!) {
    nodeByKey(key: $key) { ...NodeFields
      ... on Country { region subregion euRelation aliases ${sources} }
      ... on RegionalProcess { launchPlace description pillars aliases ${sources} }
      ... on Instrument { description aliases ${sources} }
      ... on Organisation { iatiIdentifier aliases ${sources} }
      ... on Project { description datasets ${sources} }
      ... on ThematicArea { description dacCodes aliases ${sources} }
      ... on Priority { statedBy ${sources} }
      ... on Claim { number unit asOf ${sources} }
      ... on Source { file publisher published }
    }
  }${NODE_FIELDS}`, { key }).then((d) => d.nodeByKey);
}

export function themes() {
  return query('{ thematicAreas(first: 100) { nodes { key name } } }').then((d) => d.thematicAreas.nodes);
}

// projectsOnTheme returns which of the given projects address the theme (100 keys a request).
export async function projectsOnTheme(keys, theme) {
  const found = new Set();
  for (let i = 0; i < keys.length; i += 100) {
    const d = await query(`query OnTheme($keys: [String!], $theme: String!) {
      projects(first: 100, where: { keys: $keys, themes: [$theme] }) { nodes { key } }
    }`, { keys: keys.slice(i, i + 100), theme });
    d.projects.nodes.forEach((n) => found.add(n.key));
  }
  return found;
}

const MONEY = 'totals { amount currency }';

// gaps asks for the four analyses of a country's Gaps view in one operation: the API runs its
// root fields side by side, and one operation takes one of the few analysis slots the server
// gives callers without a key. It returns a promise per part, as the Gaps view draws them.
export function gaps(country) {
  const all = query(`query Gaps($country: ID!, $key: String!) {
    country: nodeByKey(key: $key) { ...NodeFields }
    overlappingFunding(country: $country, first: 100) {
      asOf windowCount
      windows { theme { key name } from to days endsAtAsOf ${MONEY}
        donors { donor { key name shortName } ${MONEY} }
        projects { project { key title } start end endAssumed } }
    }
    missingNationalFollowUp(country: $country, first: 100) {
      asOf windowYears foundCount pendingCount missingCount
      activities { kind status start deadline overdueDays daysLeft
        theme { key name } process { key shortName } project { key title } followUp { key title }
        sources { locator source { key title url } } }
    }
    priorityGaps(country: $country, first: 1) {
      countries { projectCount fundingsWithoutAmount ${MONEY}
        shares { currency share priorityAmount totalAmount }
        priorities { unfunded projectCount ${MONEY} theme { key name } viaProcess { key shortName }
          priority { key statement statedBy stated sources { locator source { key title url } } } } }
    }
    fundingFlows(country: $country, first: 100) {
      levels linkCount fundingCount totals { amount currency }
      nodes { key level label placeholder }
      links { source target currency amount fundingCount projectCount }
    }
  }${NODE_FIELDS}`, { country, key: country });
  const part = (name) => all.then((d) => d[name]);
  return { country: part('country'), overlappingFunding: part('overlappingFunding'), missingNationalFollowUp: part('missingNationalFollowUp'),
    priorityGaps: part('priorityGaps'), fundingFlows: part('fundingFlows') };
}
