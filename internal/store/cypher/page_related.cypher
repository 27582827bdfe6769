// One page of a nested list for many parents at once (one page per `key`). The store fills the
// pattern from the parent a over r to the listed node n, the compiled filter, the keyset seek,
// the sort, the values a cursor keeps, and the count per parent (`RETURN null AS total` when
// totalCount is not asked). Each parent's page is sorted and cut inside its own subquery
// (ORDER BY ... LIMIT per parent), so no parent's whole list is ever collected. The references
// of each node (refs) are read only when the selection needs them (else `[]`).
UNWIND $keys AS key
MATCH (a:Entity {id: key})
CALL (a) { __TOTAL__ }
__PAGE__
UNWIND CASE WHEN size(rows) = 0 THEN [null] ELSE rows END AS row
WITH key, total, row.r AS r, row.n AS n, row.sortValues AS sortValues
RETURN key, total, type(r) AS relType, properties(r) AS rel, null AS score, sortValues,
       CASE WHEN n IS NULL THEN null ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS kind,
       properties(n) AS props,
       __REFS__ AS refs
