// Deletes a node with the claims an import generated about it, when no other relationship is
// left at it (the change set removed them first); records the deletion as a tombstone (for the
// exports' since) and, unless the change set is a revert ($changeSet null: undoing a creation
// withdraws a statement, it deletes no fact), as a curation deletion (later dataset loads
// withhold the node). Returns whether it deleted.
MATCH (n:Entity {id: $id})
WHERE NOT EXISTS { MATCH (n)-[r]-(m) WHERE NOT (type(r) = 'HAS_CLAIM' AND startNode(r) = n AND m.generated = true) }
OPTIONAL MATCH (n)-[:HAS_CLAIM]->(c:Claim)
WHERE c.generated = true
WITH n, collect(c) AS generated
FOREACH (c IN generated | MERGE (t:Tombstone {key: c.id}) SET t.what = 'node', t.deletedAt = $now DETACH DELETE c)
MERGE (t:Tombstone {key: n.id}) SET t.what = 'node', t.deletedAt = $now
FOREACH (_ IN CASE WHEN $changeSet IS NULL THEN [] ELSE [1] END |
  MERGE (d:CurationDeletion {key: n.id}) SET d.what = 'node', d.at = $now, d.changeSet = $changeSet)
DETACH DELETE n
RETURN count(*) AS deleted
