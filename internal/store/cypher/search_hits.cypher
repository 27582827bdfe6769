// The nodes a full-text search finds, with their score: n and score, of the kinds asked for (the
// store fills the kinds placeholder with a test of their labels, from its allowlist of searchable
// kinds, or true for every kind). Ends in a WHERE that the caller extends with AND.
CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node, score
WITH node AS n, score WHERE __KINDS__
