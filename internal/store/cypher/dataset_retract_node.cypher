// Withdraws what dataset $dataset asserts about node $node: its generated claims on the node, its
// claim to every relationship at the node (deleted when no other dataset asserts it), and its
// claim to the node itself (deleted when no other dataset asserts it; otherwise the next dataset
// asserting it owns it). Returns how many items were withdrawn.
MATCH (n:Entity {id: $node})
WHERE $dataset IN n.datasets
CALL (n) {
  OPTIONAL MATCH (n)-[:HAS_CLAIM]->(c:Claim {dataset: $dataset, generated: true})
  WITH collect(c) AS claims
  FOREACH (c IN claims | DETACH DELETE c)
  RETURN size(claims) AS claims
}
CALL (n) {
  OPTIONAL MATCH (n)-[r]-()
  WHERE $dataset IN r.datasets
  WITH r, [d IN r.datasets WHERE d <> $dataset] AS left
  FOREACH (_ IN CASE WHEN r IS NOT NULL AND size(left) > 0 THEN [1] ELSE [] END |
    SET r.datasets = left, r.dataset = CASE WHEN r.dataset = $dataset THEN left[0] ELSE r.dataset END)
  FOREACH (_ IN CASE WHEN r IS NOT NULL AND size(left) = 0 THEN [1] ELSE [] END | DELETE r)
  RETURN count(r) AS rels
}
WITH n, claims + rels AS done, [d IN n.datasets WHERE d <> $dataset] AS left
SET n.versions = [v IN coalesce(n.versions, []) WHERE NOT v STARTS WITH $dataset + '=']
FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END |
  SET n.datasets = left, n.dataset = CASE WHEN n.dataset = $dataset THEN left[0] ELSE n.dataset END)
FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END | DETACH DELETE n)
RETURN done + 1 AS retracted
