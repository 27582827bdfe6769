// Writes relationships of one type whose values the writing dataset states, found by their key;
// __TYPE__ is replaced from the store's allowlist of relationship types.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:__TYPE__ {key: row.key}]->(b)
SET r = row.props
RETURN count(r) AS written
