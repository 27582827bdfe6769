// The nodes of $ids the graph already holds, with their labels and properties.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, labels(n) AS labels, properties(n) AS props
