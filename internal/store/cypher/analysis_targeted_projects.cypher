// Projects targeting countries, with their effective dates, themes and fundings: the facts of the
// overlap, priority and coordination analyses. The store puts one anchor from its table in place
// of the anchor placeholder, binding c (country), t (TARGETS) and p (project); values are parameters.
// The share-part placeholder is the part of p's funding the country counts with allocation
// BY_SHARE ({num, den}), the hundredths placeholder a funding's amount f in hundredths.
__ANCHOR__
WHERE p.status <> 'CANCELLED' AND (NOT $nationalOnly OR p.scope = 'NATIONAL')
WITH c, t, p, coalesce(p.actualStart, p.plannedStart) AS start, coalesce(p.actualEnd, p.plannedEnd) AS end
WHERE ($from IS NULL AND $to IS NULL)
   OR (start IS NOT NULL AND ($to IS NULL OR start <= $to) AND ($from IS NULL OR end IS NULL OR end >= $from))
RETURN c.id AS country, p.id AS project, p.scope AS scope, start, end, t.share AS share,
       __SHARE_PART__ AS part, COUNT { (p)-[:TARGETS]->(:Country) } AS countryCount,
       [(p)-[:ADDRESSES]->(th:ThematicArea) | th.id] AS themes,
       [(d:Organisation)-[f:FUNDS]->(p) | {donor: d.id, amount: f.amount, hundredths: __HUNDREDTHS__, currency: f.currency, asOf: f.amountAsOf,
         sourceIds: f.sourceIds, sourceLocators: f.sourceLocators, sourceStatuses: f.sourceStatuses}] AS fundings
