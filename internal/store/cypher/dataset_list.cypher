// Every dataset of the graph with the nodes it asserts, those showing its values, and its
// relationships.
MATCH (n:Entity)
UNWIND coalesce(n.datasets, [n.dataset]) AS name
WITH name, count(n) AS nodes, sum(CASE WHEN n.dataset = name THEN 1 ELSE 0 END) AS owned
CALL (name) {
  MATCH (a:Entity)-[r]->()
  WHERE name IN coalesce(r.datasets, [a.dataset])
  RETURN count(r) AS relationships
}
RETURN name, nodes, owned, relationships
ORDER BY name
