// Shows a rehomed node's new values (each row: the whole property map) and deletes the claims
// its new owner made while another dataset owned it.
// A project's `start` (its actual start date, else its planned one) is written with its dates: its
// default order and the start filter read it from an index. Other kinds have neither date.
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n = row.props, n.start = coalesce(row.props.actualStart, row.props.plannedStart)
WITH n, row
OPTIONAL MATCH (n)-[:HAS_CLAIM]->(c:Claim)
WHERE c.id IN row.claims
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END |
  MERGE (t:Tombstone {key: c.id}) SET t.what = 'node', t.deletedAt = $now)
DETACH DELETE c
RETURN count(DISTINCT n) AS written
