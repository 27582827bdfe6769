// Full-text search over names, aliases, titles and descriptions, best match first, optionally
// of some kinds only. $query is Lucene syntax built by the store from the user's words.
CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node, score
WITH node, score, [l IN labels(node) WHERE l <> 'Entity'][0] AS kind
WHERE $kinds IS NULL OR kind IN $kinds
RETURN node.id AS id, kind, score
ORDER BY score DESC, id
LIMIT $first
