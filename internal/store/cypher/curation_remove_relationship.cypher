// Removes one relationship, found by its ends, type and key, recording the removal as a
// tombstone (for the exports' since) and as a curation deletion (a later dataset load withholds
// the relationship); __TYPE__ comes from the store's allowlist of relationship types.
MATCH (a:Entity {id: $from})-[r:__TYPE__ {key: $key}]->(b:Entity {id: $to})
MERGE (t:Tombstone {key: r.key}) SET t.what = 'relationship', t.type = type(r), t.from = a.id, t.to = b.id, t.deletedAt = $now
MERGE (d:CurationDeletion {key: r.key}) SET d.what = 'relationship', d.at = $now, d.changeSet = $changeSet
DELETE r
RETURN count(*) AS removed
