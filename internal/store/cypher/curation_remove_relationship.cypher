// Removes one relationship, found by its ends, type and key; __TYPE__ comes from the store's
// allowlist of relationship types.
MATCH (a:Entity {id: $from})-[r:__TYPE__ {key: $key}]->(b:Entity {id: $to})
DELETE r
RETURN count(r) AS removed
