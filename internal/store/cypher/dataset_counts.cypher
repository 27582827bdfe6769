// Number of nodes and relationships one dataset asserts (data written before datasets were
// recorded per node counts by its owner).
MATCH (n:Entity)
WHERE $dataset IN coalesce(n.datasets, [n.dataset])
WITH count(n) AS nodes
OPTIONAL MATCH (a:Entity)-[r]->(:Entity)
WHERE $dataset IN coalesce(r.datasets, [a.dataset])
RETURN nodes, count(r) AS relationships
