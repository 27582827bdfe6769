// Writes nodes of one kind whose values the writing dataset states: each row is the node's whole
// property map (the store's dataset bookkeeping included). __LABEL__ is replaced from the store's
// allowlist of kinds.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n = row
SET n:__LABEL__
RETURN count(n) AS written
