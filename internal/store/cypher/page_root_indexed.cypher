// One page of a top-level list ordered by one property that a range index orders and every node
// has (the dataset requires it): the rows come from the index in order, the seek past a cursor is
// a range on the index, and the rows of the cursor's own value are dropped after the sort.
CALL () { __TOTAL__ }
CALL () {
  __ROWS__
  RETURN collect(n) AS rows
}
UNWIND CASE WHEN size(rows) = 0 THEN [null] ELSE rows END AS n
WITH total, n
RETURN '' AS key, total, null AS relType, null AS rel, null AS score, __SORT_VALUES__ AS sortValues,
       CASE WHEN n IS NULL THEN null ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS kind,
       properties(n) AS props,
       CASE WHEN n IS NULL THEN [] ELSE __NODE_REFS__ END AS refs
