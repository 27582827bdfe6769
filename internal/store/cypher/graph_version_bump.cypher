// Moves the graph's data version on: run once by every write that changed something, in its
// transaction, with the write's time $now.
MERGE (v:GraphVersion {id: 'graph'})
SET v.version = coalesce(v.version, 0) + 1, v.changedAt = $now
