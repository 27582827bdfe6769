// Removes every node of one dataset, with its relationships.
MATCH (n:Entity)
WHERE n.dataset = $dataset
DETACH DELETE n
