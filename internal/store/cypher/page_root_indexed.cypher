// One page of a top-level list whose order starts with a property that a range index orders: the
// rows that have the property come from the index in order, the seek past a cursor is a range on
// the index, and the rows of the cursor's own value are dropped after the sort. The store fills
// the two parts of the page in the order of the list (rows having the property, then rows lacking
// it; reversed for `last`); the limit after their union stops reading as soon as the page is full,
// so the second part is read only when the first does not fill it. The references of each node
// (refs) are read only when the selection needs them (else `[]`); the lists selected below each
// node (__NESTED__, page_nested) come in the column nested.
CALL () { __TOTAL__ }
CALL () {
  CALL () {
    __FIRST__
    RETURN n
    UNION ALL
    __SECOND__
    RETURN n
  }
  WITH n LIMIT $limit
  RETURN collect(n) AS rows
}
UNWIND CASE WHEN size(rows) = 0 THEN [null] ELSE range(0, size(rows) - 1) END AS i
WITH total, rows[i] AS n, i < $limit - 1 AS inPage
__NESTED__
RETURN '' AS key, total, null AS relType, null AS rel, null AS score, __SORT_VALUES__ AS sortValues,
       CASE WHEN n IS NULL THEN null ELSE __KIND__ END AS kind,
       __PROPS__ AS props,
       __REFS__ AS refs, __COUNTS__ AS counts, __NESTED_COLUMNS__ AS nested
