// The names of the datasets of the graph.
MATCH (n:Entity)
UNWIND coalesce(n.datasets, [n.dataset]) AS name
RETURN DISTINCT name
