// Nodes of any kind by key, for the per-request node loader.
UNWIND $keys AS key
MATCH (n:Entity {id: key})
RETURN key, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, properties(n) AS props, __NODE_REFS__ AS refs
