// One page of a nested list for many parents at once (one page per `key`). The store fills the
// pattern from the parent a over r to the listed node n, the compiled filter, the keyset seek,
// the sort, the values a cursor keeps, and the count per parent (`RETURN null AS total` when
// totalCount is not asked). Each parent's page is sorted and cut inside its own subquery
// (ORDER BY ... LIMIT per parent), so no parent's whole list is ever collected. The references
// of each node (refs) are read only when the selection needs them (else `[]`); the lists selected
// below each node (__NESTED__, page_nested) come in the column nested; the parent's own properties
// come in the first row of its page (parentProps) when asked for, else null.
UNWIND $keys AS key
MATCH (a:Entity {id: key})
CALL (a) { __TOTAL__ }
__PAGE__
UNWIND CASE WHEN size(rows) = 0 THEN [null] ELSE range(0, size(rows) - 1) END AS i
WITH key, total, rows[i] AS row, i < $limit - 1 AS inPage, __PARENT_PROPS__ AS parentProps
WITH key, total, inPage, parentProps, row.r AS r, row.n AS n, row.sortValues AS sortValues
__NESTED__
RETURN key, total, parentProps, type(r) AS relType, __REL_PROPS__ AS rel, null AS score, sortValues,
       CASE WHEN n IS NULL THEN null ELSE __KIND__ END AS kind,
       __PROPS__ AS props,
       __REFS__ AS refs, __NESTED_COLUMNS__ AS nested
