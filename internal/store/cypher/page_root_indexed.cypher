// One page of a top-level list ordered by one property that a range index orders and every node
// has: the rows come from the index in order (the seek past a cursor is a range on the index,
// the rows of its own value are dropped after the sort). The statement has room for a second
// part, rows without the property, read only when the first does not fill the page; the store
// fills it with nothing while every node has the property.
CALL () { __TOTAL__ }
CALL () {
  __FIRST__
  RETURN collect(n) AS first
}
CALL (first) {
  WITH first WHERE size(first) < $limit
  __SECOND__
  RETURN collect(n) AS second
}
UNWIND CASE WHEN size(first) + size(second) = 0 THEN [null] ELSE (first + second)[0..$limit] END AS n
WITH total, n
RETURN '' AS key, total, null AS relType, null AS rel, null AS score, __SORT_VALUES__ AS sortValues,
       CASE WHEN n IS NULL THEN null ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS kind,
       properties(n) AS props,
       CASE WHEN n IS NULL THEN [] ELSE __NODE_REFS__ END AS refs
