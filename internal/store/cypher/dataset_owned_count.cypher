// Number of nodes whose owner is dataset $dataset, from the entity_dataset index.
MATCH (n:Entity)
WHERE n.dataset = $dataset
RETURN count(n) AS count
