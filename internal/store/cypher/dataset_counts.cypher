// Number of nodes and relationships of one dataset.
MATCH (n:Entity {dataset: $dataset})
WITH count(n) AS nodes
OPTIONAL MATCH (a:Entity {dataset: $dataset})-[r]->(:Entity)
RETURN nodes, count(r) AS relationships
