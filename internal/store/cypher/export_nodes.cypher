// One batch of the nodes of one kind (__LABEL__, from the dataset kinds) in key order after
// $after, with the relationships of the types in $out (from the node) and $in (to it) that a seed
// file writes in the node's row. With $since, only nodes changed after it, or whose such
// relationships changed. __WHERE__ is the compiled project filter (values are parameters), or true.
MATCH (n:__LABEL__)
WHERE n.id > $after AND __WHERE__
  AND ($since IS NULL OR n.changedAt > $since
       OR EXISTS { (n)-[r]-() WHERE (type(r) IN $out OR type(r) IN $in) AND r.changedAt > $since })
WITH n ORDER BY n.id LIMIT $batch
RETURN properties(n) AS props,
  [(n)-[r]->(m:Entity) WHERE type(r) IN $out | {type: type(r), id: m.id, labels: labels(m), props: properties(r)}] AS out,
  [(n)<-[r]-(m:Entity) WHERE type(r) IN $in | {type: type(r), id: m.id, labels: labels(m), props: properties(r)}] AS in
