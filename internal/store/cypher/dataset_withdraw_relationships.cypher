// Withdraws dataset $dataset's claim to the relationships it no longer asserts (keys not in
// $keys): deleted when no other dataset asserts them, otherwise handed to the next one. Every
// relationship a dataset asserts starts at a node it asserts, so the scan starts there.
MATCH (n:Entity)-[r]->()
WHERE $dataset IN n.datasets AND $dataset IN r.datasets AND NOT r.key IN $keys
WITH r, [d IN r.datasets WHERE d <> $dataset] AS left
FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END |
  SET r.changedAt = $now, r.datasets = left, r.dataset = CASE WHEN r.dataset = $dataset THEN left[0] ELSE r.dataset END)
FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END |
    MERGE (t:Tombstone {key: r.key}) SET t.what = 'relationship', t.type = type(r), t.from = startNode(r).id, t.to = endNode(r).id, t.deletedAt = $now DELETE r)
RETURN count(*) AS withdrawn
