// Writes the name keys migration 10 computed for one batch of nodes (rows of id and keys; null
// keys remove the property). Derived values: the node's change time stays.
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.nameKeys = row.keys
