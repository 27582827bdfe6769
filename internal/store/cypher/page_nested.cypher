// One list below every node n of a page, read in the page's own statement (one subquery per
// node, as page_related does for one parent a): the count when asked for (`RETURN null AS total`
// otherwise), the page sorted and cut inside (__PAGE__, page_related_rows), then the lists below
// its own nodes (__NESTED__, the same text one level down). The subquery returns one list per
// node of the page above, [total, rows], each row a list of what a row of page_related holds
// (relType, rel, sortValues, kind, props, refs, nested: lists cost less than maps to send). The
// node above comes in under a name of its own (__PARENT__): a subquery may not bind a variable it
// imports, and its own rows are n again. The row read past the page (to tell whether more follow;
// inPage false) has none below it.
WITH *, CASE WHEN inPage THEN n END AS __PARENT__
CALL (__PARENT__) {
  WITH __PARENT__ AS a
  CALL (a) { __TOTAL__ }
  __PAGE__
  UNWIND CASE WHEN size(rows) = 0 THEN [null] ELSE range(0, size(rows) - 1) END AS i
  WITH total, rows[i] AS row, i < $limit - 1 AS inPage
  WITH total, inPage, row.r AS r, row.n AS n, row.sortValues AS sortValues
  __NESTED__
  WITH total, collect(CASE WHEN n IS NULL THEN null ELSE
    [type(r), __REL_PROPS__, sortValues, __KIND__, __PROPS__, __REFS__, __NESTED_COLUMNS__] END) AS rows
  RETURN [total, rows] AS __COLUMN__
}
