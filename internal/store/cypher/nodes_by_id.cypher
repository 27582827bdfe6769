// Nodes of any kind by id, for the per-request node loader.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id AS key, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, properties(n) AS props, __NODE_REFS__ AS refs
