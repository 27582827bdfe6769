// Relationships of one type reaching many nodes, by the id of the node they reach; __TYPE__ is
// replaced from the store's allowlist of relationship types.
UNWIND $ids AS id
MATCH (a:Entity)-[r:__TYPE__]->(b:Entity {id: id})
RETURN id AS key, a.id AS from, b.id AS to, properties(r) AS props
ORDER BY key, coalesce(a.name, a.title, a.statement, a.property, a.id), a.id
