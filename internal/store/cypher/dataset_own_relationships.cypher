// Writes relationships of one type whose values the writing dataset states, found by their key;
// __TYPE__ is replaced from the store's allowlist of relationship types.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
// A batched write ($stamp) links only nodes it states or names: both ends carry its stamp.
WHERE $stamp IS NULL OR ($stamp IN coalesce(a.stamps, []) AND $stamp IN coalesce(b.stamps, []))
MERGE (a)-[r:__TYPE__ {key: row.key}]->(b)
SET r = row.props
RETURN count(r) AS written
