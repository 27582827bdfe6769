// One batch of what was deleted after $since, in key order after $after: tombstones of nodes
// and relationships that were not written again after their deletion.
MATCH (t:Tombstone)
WHERE t.key > $after AND t.deletedAt > $since
  AND NOT EXISTS { MATCH (n:Entity {id: t.key}) WHERE n.changedAt >= t.deletedAt }
  AND NOT EXISTS { MATCH (:Entity {id: t.from})-[r {key: t.key}]->(:Entity {id: t.to}) WHERE r.changedAt >= t.deletedAt }
WITH t ORDER BY t.key LIMIT $batch
RETURN t.what AS what, t.key AS key, t.type AS type, t.from AS from, t.to AS to, t.deletedAt AS deletedAt
