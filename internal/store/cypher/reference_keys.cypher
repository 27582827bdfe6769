// Which of $keys are nodes, with their kind (for references to kinds not held in memory).
UNWIND $keys AS key
MATCH (n:Entity {id: key})
RETURN key, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind
