// Withdraws dataset $dataset's claim to the nodes it no longer asserts (ids not in $ids): deleted
// when no other dataset asserts them, otherwise handed to the next one, and marked for
// rehoming (the store then shows the next dataset's values, see Store.rehome).
MATCH (n:Entity)
WHERE $dataset IN n.datasets AND NOT n.id IN $ids
WITH n, [d IN n.datasets WHERE d <> $dataset] AS left
SET n.versions = [v IN coalesce(n.versions, []) WHERE NOT v STARTS WITH $dataset + '='],
      n.assertions = [e IN coalesce(n.assertions, []) WHERE NOT e STARTS WITH $dataset + '\t']
FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END |
  SET n.changedAt = $now, n.datasets = left, n.rehome = CASE WHEN n.dataset = $dataset THEN true ELSE n.rehome END,
        n.dataset = CASE WHEN n.dataset = $dataset THEN left[0] ELSE n.dataset END)
FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END |
    MERGE (t:Tombstone {key: n.id}) SET t.what = 'node', t.deletedAt = $now DETACH DELETE n)
RETURN count(*) AS withdrawn
