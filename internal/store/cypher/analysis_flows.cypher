// Donor-project fundings with the project's instruments, countries (with shares) and themes, for
// funding flows. The store puts one anchor from its table in place of the anchor placeholder,
// binding d (donor), f (FUNDS) and p (project); the other filters are parameters. The share-part
// placeholder is the part of p's funding a country (of its TARGETS t) gets with allocation
// BY_SHARE ({num, den}), the hundredths placeholder the amount of f in hundredths.
__ANCHOR__
WHERE p.status <> 'CANCELLED' AND ($donor IS NULL OR d.id = $donor)
  AND ($country IS NULL OR EXISTS { (p)-[:TARGETS]->(x) WHERE x.id = $country })
  AND ($theme IS NULL OR EXISTS { (p)-[:ADDRESSES]->(x) WHERE x.id = $theme })
  AND ($instrument IS NULL OR EXISTS { (p)-[:FINANCED_BY]->(i)-[:PART_OF*0..1]->(x) WHERE x.id = $instrument })
WITH d, f, p, coalesce(p.actualStart, p.plannedStart) AS start, coalesce(p.actualEnd, p.plannedEnd) AS end
WHERE ($from IS NULL AND $to IS NULL)
   OR (start IS NOT NULL AND ($to IS NULL OR start <= $to) AND ($from IS NULL OR end IS NULL OR end >= $from))
RETURN d.id AS donor, coalesce(d.shortName, d.name) AS donorLabel, p.id AS project, p.title AS projectLabel,
       f.amount AS amount, __HUNDREDTHS__ AS hundredths, f.currency AS currency,
       [(p)-[:FINANCED_BY]->(i:Instrument) | {key: i.id, label: coalesce(i.shortName, i.name)}] AS instruments,
       [(p)-[t:TARGETS]->(c:Country) | {key: c.id, label: c.name, part: __SHARE_PART__}] AS countries,
       [(p)-[:ADDRESSES]->(th:ThematicArea) | {key: th.id, label: th.name}] AS themes
