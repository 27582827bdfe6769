// The relationships of the given types (all when $types is null) among a set of nodes. The far
// end has no label on purpose: it is reached by expanding from each node, not looked up again.
UNWIND $keys AS key
MATCH (a:Entity {id: key})-[r]->(b)
WHERE ($types IS NULL OR type(r) IN $types) AND b.id IN $keys
RETURN a.id AS from, b.id AS to, type(r) AS type, properties(r) AS props
ORDER BY from, type, to
