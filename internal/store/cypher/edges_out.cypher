// Relationships of one type leaving many nodes, by the id of the node they leave; __TYPE__ is
// replaced from the store's allowlist of relationship types.
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r:__TYPE__]->(b:Entity)
RETURN id AS key, a.id AS from, b.id AS to, properties(r) AS props
ORDER BY key, coalesce(b.name, b.title, b.statement, b.property, b.id), b.id
