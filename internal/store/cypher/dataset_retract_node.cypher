// Withdraws what dataset $dataset asserts about node $node as one activity (an older version
// that a newer file replaces): its generated claims on the node; its claim to the node's outgoing
// relationships and to the funding and implementing relationships that reach it (each deleted
// when no other dataset asserts it); its statement of the node's values. The dataset keeps
// naming the node while other relationships of its own reach it (another of its activities is a
// part of this one); the node is deleted when no dataset names it any more, and marked for
// rehoming when its owner was $dataset. Returns how many items were withdrawn.
MATCH (n:Entity {id: $node})
WHERE $dataset IN n.datasets
CALL (n) {
  OPTIONAL MATCH (n)-[:HAS_CLAIM]->(c:Claim {dataset: $dataset, generated: true})
  WITH collect(c) AS claims
  FOREACH (c IN claims | MERGE (t:Tombstone {key: c.id}) SET t.what = 'node', t.deletedAt = $now DETACH DELETE c)
  RETURN size(claims) AS claims
}
CALL (n) {
  OPTIONAL MATCH (n)-[o]->()
  WHERE $dataset IN o.datasets
  WITH n, collect(o) AS outgoing
  OPTIONAL MATCH (n)<-[i:FUNDS|IMPLEMENTS]-()
  WHERE $dataset IN i.datasets
  WITH outgoing, collect(i) AS incoming
  WITH outgoing + incoming AS rels
  UNWIND rels AS r
  WITH r, [d IN r.datasets WHERE d <> $dataset] AS left
  FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END |
    SET r.changedAt = $now, r.datasets = left, r.dataset = CASE WHEN r.dataset = $dataset THEN left[0] ELSE r.dataset END)
  FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END |
    MERGE (t:Tombstone {key: r.key}) SET t.what = 'relationship', t.type = type(r), t.from = startNode(r).id, t.to = endNode(r).id, t.deletedAt = $now DELETE r)
  RETURN count(r) AS rels
}
WITH n, claims + rels AS done
WITH n, done, EXISTS { MATCH (n)-[r]-() WHERE $dataset IN r.datasets } AS stillNamed
WITH n, done, CASE WHEN stillNamed THEN n.datasets ELSE [d IN n.datasets WHERE d <> $dataset] END AS left
SET n.versions = [v IN coalesce(n.versions, []) WHERE NOT v STARTS WITH $dataset + '='],
    n.assertions = [e IN coalesce(n.assertions, []) WHERE NOT e STARTS WITH $dataset + '\t']
FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END |
  SET n.changedAt = $now, n.datasets = left, n.rehome = CASE WHEN n.dataset = $dataset THEN true ELSE n.rehome END)
FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END | MERGE (t:Tombstone {key: n.id}) SET t.what = 'node', t.deletedAt = $now DETACH DELETE n)
RETURN done + 1 AS retracted
