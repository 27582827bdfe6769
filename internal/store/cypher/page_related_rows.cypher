// The page of page_related for one parent: its rows sorted and cut inside the subquery, then collected
// with the values a cursor keeps (worked out for the rows of the page only).
CALL (a) {
  MATCH __PATTERN__
  WITH r, n WHERE __WHERE__ AND __SEEK__
  WITH r, n ORDER BY __ORDER__ LIMIT $limit
  RETURN collect({r: r, n: n, sortValues: __SORT_VALUES__}) AS rows
}
