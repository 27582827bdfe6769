// The nodes of the given ids, as a change set reads them before it is proposed.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, properties(n) AS props
