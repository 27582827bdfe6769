// The page of page_root: its rows sorted and cut by Neo4j, then collected (at most $limit + 1).
// It imports what the count returned for it (a search's hits, when the count kept them), if anything.
CALL (__IMPORT__) {
  __MATCH__ AND __WHERE__ AND __SEEK__
  WITH n, __SCORE__ AS score, __SORT_VALUES__ AS sortValues ORDER BY __ORDER__ LIMIT $limit
  RETURN collect({n: n, score: score, sortValues: sortValues}) AS rows
}
