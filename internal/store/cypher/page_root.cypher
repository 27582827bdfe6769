// One page of a top-level list. The store fills the placeholders from its tables: the match that
// binds n (and score, or null), the compiled filter, the keyset seek past the cursors, the sort
// expressions (ascending or, for `last`, reversed), the values a cursor keeps, and the count
// (`RETURN null AS total` when totalCount is not asked). Every value is a parameter. The page is
// sorted and cut by Neo4j (ORDER BY ... LIMIT: a top-n, never the whole list collected), then
// collected: at most $limit rows, and one row for an empty page. The references of each node
// (refs) are read only when the selection needs them (else `[]`). The lists selected below each
// node (__NESTED__, page_nested) are read in the same statement, into the column nested.
CALL () { __TOTAL__ }
__PAGE__
UNWIND CASE WHEN size(rows) = 0 THEN [null] ELSE range(0, size(rows) - 1) END AS i
WITH total, rows[i] AS row, i < $limit - 1 AS inPage
WITH total, inPage, row.n AS n, row.score AS score, row.sortValues AS sortValues
__NESTED__
RETURN '' AS key, total, null AS relType, null AS rel, score, sortValues,
       CASE WHEN n IS NULL THEN null ELSE __KIND__ END AS kind,
       __PROPS__ AS props,
       __REFS__ AS refs, __COUNTS__ AS counts, __NESTED_COLUMNS__ AS nested
