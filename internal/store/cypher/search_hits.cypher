// The nodes a full-text search finds, with their score: n and score, of the kinds asked for
// ($kinds, or every kind when null). Ends in a WHERE that the caller extends with AND.
CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node, score
WITH node AS n, score WHERE ($kinds IS NULL OR [l IN labels(node) WHERE l <> 'Entity'][0] IN $kinds)
