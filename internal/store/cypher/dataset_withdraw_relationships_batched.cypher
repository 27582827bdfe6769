// dataset_withdraw_relationships for a write in batches, in transactions of 5000 relationships
// each (run outside an explicit transaction): what the dataset asserts and this write did not
// stamp ($stamp, "dataset=token") is what it no longer asserts.
MATCH (n:Entity)-[r]->()
WHERE $dataset IN n.datasets AND $dataset IN r.datasets AND NOT $stamp IN coalesce(r.stamps, [])
CALL (r) {
  WITH r, [d IN r.datasets WHERE d <> $dataset] AS left
  FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END |
    SET r.changedAt = $now, r.datasets = left, r.dataset = CASE WHEN r.dataset = $dataset THEN left[0] ELSE r.dataset END)
  FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END |
    MERGE (t:Tombstone {key: r.key}) SET t.what = 'relationship', t.type = type(r), t.from = startNode(r).id, t.to = endNode(r).id, t.deletedAt = $now DELETE r)
} IN TRANSACTIONS OF 5000 ROWS
