// Withdraws dataset $dataset's claim to the nodes it no longer asserts (ids not in $ids): deleted
// when no other dataset asserts them, otherwise handed to the next one (which then owns the
// values they show).
MATCH (n:Entity)
WHERE $dataset IN n.datasets AND NOT n.id IN $ids
WITH n, [d IN n.datasets WHERE d <> $dataset] AS left
SET n.versions = [v IN coalesce(n.versions, []) WHERE NOT v STARTS WITH $dataset + '=']
FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END |
  SET n.datasets = left, n.dataset = CASE WHEN n.dataset = $dataset THEN left[0] ELSE n.dataset END)
FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END | DETACH DELETE n)
RETURN count(*) AS withdrawn
