// The relationships at one node (for a deletion, which removes them first: its claims' too, but
// not those to the claims an import generated, which go with the node), or those between two
// nodes with one type and key (for a relationship change).
MATCH (a:Entity)-[r]->(b:Entity)
WHERE ($node IS NOT NULL AND (a.id = $node OR b.id = $node) AND (type(r) <> 'HAS_CLAIM' OR b.generated IS NULL OR b.generated = false))
   OR ($node IS NULL AND a.id = $from AND b.id = $to AND type(r) = $type AND r.key = $key)
RETURN type(r) AS type, a.id AS from, b.id AS to, [l IN labels(a) WHERE l <> 'Entity'][0] AS fromKind,
       [l IN labels(b) WHERE l <> 'Entity'][0] AS toKind, properties(r) AS props
ORDER BY type, from, to, r.key
