// dataset_withdraw_nodes for a write in batches, in transactions of 5000 nodes each (run outside an
// explicit transaction, after the relationships): the nodes the dataset asserts that this write
// did not stamp ($stamp).
MATCH (n:Entity)
WHERE $dataset IN n.datasets AND NOT $stamp IN coalesce(n.stamps, [])
CALL (n) {
  WITH n, [d IN n.datasets WHERE d <> $dataset] AS left
  SET n.versions = [v IN coalesce(n.versions, []) WHERE NOT v STARTS WITH $dataset + '='],
      n.assertions = [e IN coalesce(n.assertions, []) WHERE NOT e STARTS WITH $dataset + '\t']
  FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END |
    SET n.changedAt = $now, n.datasets = left, n.rehome = CASE WHEN n.dataset = $dataset THEN true ELSE n.rehome END,
        n.dataset = CASE WHEN n.dataset = $dataset THEN left[0] ELSE n.dataset END)
  FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END |
    MERGE (t:Tombstone {key: n.id}) SET t.what = 'node', t.deletedAt = $now DETACH DELETE n)
} IN TRANSACTIONS OF 5000 ROWS
