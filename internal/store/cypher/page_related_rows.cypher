// The page of page_related for one parent: its rows sorted and cut inside the subquery, then collected.
CALL (a) {
  MATCH __PATTERN__
  WITH r, n WHERE __WHERE__ AND __SEEK__
  WITH r, n, __SORT_VALUES__ AS sortValues ORDER BY __ORDER__ LIMIT $limit
  RETURN collect({r: r, n: n, sortValues: sortValues}) AS rows
}
