// Locks the nodes a change set touches (a write lock held to commit, so no other writer, such
// as a dataset load, changes them in between) and returns them as they are.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
SET n.curationLock = true
REMOVE n.curationLock
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, properties(n) AS props
