// A search's hits grouped by kind: for each kind of $kinds, how many hits it has (total) and its
// best $limit hits (the group's page, one row more than asked, to tell whether more follow), in
// the order of search itself (rank tier, score, key; see search_rank). Rows as page_root gives
// them, with the kind as `key`; a kind without hits gives no row.
UNWIND $kinds AS groupKind
CALL (groupKind) {
  CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node
  WITH node WHERE [l IN labels(node) WHERE l <> 'Entity'][0] = groupKind
  RETURN count(node) AS total
}
CALL (groupKind) {
  CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node, score
  WITH node AS n, score WHERE [l IN labels(node) WHERE l <> 'Entity'][0] = groupKind
  __RANK__
  WITH n, score, [rank, score, n.id] AS sortValues ORDER BY rank, score DESC, n.id LIMIT $limit
  RETURN collect({n: n, score: score, sortValues: sortValues}) AS rows
}
WITH groupKind, total, rows WHERE total > 0
UNWIND rows AS row
WITH groupKind, total, row.n AS n, row.score AS score, row.sortValues AS sortValues
RETURN groupKind AS key, total, null AS relType, null AS rel, score, sortValues,
       [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, properties(n) AS props, __NODE_REFS__ AS refs
