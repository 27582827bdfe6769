// Removes a finished batched write's stamp ($stamp, "dataset=token") from its nodes and their
// relationships, in transactions of 5000 items each (run outside an explicit transaction).
MATCH (n:Entity)
WHERE $stamp IN coalesce(n.stamps, [])
CALL (n) {
  OPTIONAL MATCH (n)-[r]-()
  WHERE $stamp IN coalesce(r.stamps, [])
  WITH n, collect(r) AS rels
  FOREACH (r IN rels | SET r.stamps = CASE WHEN size([s IN r.stamps WHERE s <> $stamp]) = 0 THEN null ELSE [s IN r.stamps WHERE s <> $stamp] END)
  SET n.stamps = CASE WHEN size([s IN n.stamps WHERE s <> $stamp]) = 0 THEN null ELSE [s IN n.stamps WHERE s <> $stamp] END
} IN TRANSACTIONS OF 5000 ROWS
