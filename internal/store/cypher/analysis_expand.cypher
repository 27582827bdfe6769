// One step of a neighbourhood: the nodes next to the frontier over relationships of the given
// types (all when $types is null), not yet visited, by key, at most $room of them.
UNWIND $frontier AS key
MATCH (a:Entity {id: key})-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types) AND NOT b.id IN $visited
WITH DISTINCT b.id AS key
ORDER BY key
LIMIT $room
RETURN key
