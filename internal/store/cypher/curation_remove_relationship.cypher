// Removes one relationship, found by its ends, type and key, recording the removal as a
// tombstone (for the exports' since) and, unless the change set is a revert ($changeSet null),
// as a curation deletion (later dataset loads withhold the relationship); __TYPE__ comes from
// the store's allowlist of relationship types.
MATCH (a:Entity {id: $from})-[r:__TYPE__ {key: $key}]->(b:Entity {id: $to})
MERGE (t:Tombstone {key: r.key}) SET t.what = 'relationship', t.type = type(r), t.from = a.id, t.to = b.id, t.deletedAt = $now
FOREACH (_ IN CASE WHEN $changeSet IS NULL THEN [] ELSE [1] END |
  MERGE (d:CurationDeletion {key: r.key}) SET d.what = 'relationship', d.at = $now, d.changeSet = $changeSet)
DELETE r
RETURN count(*) AS removed
